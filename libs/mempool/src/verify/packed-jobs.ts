import { HASH_BYTES, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from '#chain';
import type { SignatureCheck } from './types.js';

// Work for a worker thread travels as a few flat buffers whose memory is transferred, not as
// thousands of small objects: structured cloning costs about a microsecond per object on each
// side, which at block-sync rates is a tenth of the executing thread's time.

const DIGEST_BYTES = HASH_BYTES;
/** One packed check: signature ‖ digest ‖ compressed public key. */
export const PACKED_CHECK_BYTES = SIGNATURE_BYTES + DIGEST_BYTES + PUBLIC_KEY_BYTES;

/**
 * Packs checks back to back. A check whose parts have the wrong lengths is left all zeros,
 * which no verifier accepts (a zero signature and a zero key are both invalid).
 */
export function packSignatureChecks(checks: readonly SignatureCheck[]): Uint8Array {
  const packed = new Uint8Array(checks.length * PACKED_CHECK_BYTES);
  for (const [i, { signature, digest, publicKey }] of checks.entries()) {
    if (signature.length !== SIGNATURE_BYTES || digest.length !== DIGEST_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) continue;
    const at = i * PACKED_CHECK_BYTES;
    packed.set(signature, at);
    packed.set(digest, at + SIGNATURE_BYTES);
    packed.set(publicKey, at + SIGNATURE_BYTES + DIGEST_BYTES);
  }
  return packed;
}

/** The checks of `packSignatureChecks` output, as views into it. */
export function unpackSignatureChecks(packed: Uint8Array): SignatureCheck[] {
  if (packed.length % PACKED_CHECK_BYTES !== 0) throw new RangeError(`packed checks must be a multiple of ${PACKED_CHECK_BYTES} bytes`);
  const checks: SignatureCheck[] = [];
  for (let at = 0; at < packed.length; at += PACKED_CHECK_BYTES) {
    checks.push({
      signature: packed.subarray(at, at + SIGNATURE_BYTES),
      digest: packed.subarray(at + SIGNATURE_BYTES, at + SIGNATURE_BYTES + DIGEST_BYTES),
      publicKey: packed.subarray(at + SIGNATURE_BYTES + DIGEST_BYTES, at + PACKED_CHECK_BYTES),
    });
  }
  return checks;
}

/** One block's state entries: those its transactions removed and those they added. */
export interface BlockEntries {
  removed: readonly Uint8Array[];
  added: readonly Uint8Array[];
}

/**
 * Blocks' entries, packed: `bytes` holds every entry back to back; `layout` holds, per block,
 * the number of removed and of added entries followed by each entry's length.
 */
export interface PackedBlockEntries {
  bytes: Uint8Array;
  layout: Uint32Array;
}

export function packBlockEntries(blocks: readonly BlockEntries[]): PackedBlockEntries {
  let byteCount = 0;
  let layoutCount = 0;
  for (const { removed, added } of blocks) {
    layoutCount += 2 + removed.length + added.length;
    for (const entry of removed) byteCount += entry.length;
    for (const entry of added) byteCount += entry.length;
  }
  const bytes = new Uint8Array(byteCount);
  const layout = new Uint32Array(layoutCount);
  let byteAt = 0;
  let layoutAt = 0;
  for (const { removed, added } of blocks) {
    layout[layoutAt++] = removed.length;
    layout[layoutAt++] = added.length;
    for (const entry of [...removed, ...added]) {
      layout[layoutAt++] = entry.length;
      bytes.set(entry, byteAt);
      byteAt += entry.length;
    }
  }
  return { bytes, layout };
}

/** The blocks of `packBlockEntries` output, entries as views into its bytes. */
export function unpackBlockEntries({ bytes, layout }: PackedBlockEntries): BlockEntries[] {
  const blocks: BlockEntries[] = [];
  let byteAt = 0;
  let layoutAt = 0;
  const take = (count: number): Uint8Array[] => {
    const entries: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      if (layoutAt >= layout.length) throw new RangeError('packed entries: layout ends early');
      const length = layout[layoutAt++];
      if (byteAt + length > bytes.length) throw new RangeError('packed entries: bytes end early');
      entries.push(bytes.subarray(byteAt, byteAt + length));
      byteAt += length;
    }
    return entries;
  };
  while (layoutAt < layout.length) {
    if (layoutAt + 2 > layout.length) throw new RangeError('packed entries: layout ends early');
    const removedCount = layout[layoutAt++];
    const addedCount = layout[layoutAt++];
    blocks.push({ removed: take(removedCount), added: take(addedCount) });
  }
  if (byteAt !== bytes.length) throw new RangeError('packed entries: bytes left over');
  return blocks;
}
