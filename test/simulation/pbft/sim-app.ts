import { sha256 } from '@noble/hashes/sha2.js';
import type { ProposalContext, ProposalVerdict } from '#consensus';

/**
 * The simulated application: a chain of tiny blocks (height, view, proposer, parent, payload).
 * It checks what a real ledger checks that matters to consensus: height, parent, and that a
 * fresh block was built by the primary of the view it is proposed in.
 */
export interface SimBlock {
  readonly height: number;
  readonly view: number;
  readonly proposer: string;
  readonly parent: Uint8Array;
  readonly payload: number;
}

const GENESIS_DIGEST = new Uint8Array(32);
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Encodes a block: u32 height, u32 view, u32 payload, 32-byte parent, then the proposer id. */
export function encodeSimBlock(block: SimBlock): Uint8Array {
  const proposer = utf8.encode(block.proposer);
  const out = new Uint8Array(12 + 32 + proposer.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, block.height);
  view.setUint32(4, block.view);
  view.setUint32(8, block.payload);
  out.set(block.parent, 12);
  out.set(proposer, 44);
  return out;
}

/** Decodes a block, or undefined for anything malformed. */
export function decodeSimBlock(bytes: Uint8Array): SimBlock | undefined {
  if (bytes.length < 45 || bytes.length > 100) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    height: view.getUint32(0),
    view: view.getUint32(4),
    payload: view.getUint32(8),
    parent: bytes.slice(12, 44),
    proposer: utf8Decoder.decode(bytes.subarray(44)),
  };
}

/** The block hash used as the consensus digest. */
export function simBlockDigest(bytes: Uint8Array): Uint8Array {
  return sha256(bytes);
}

/** One node's application state: the digests of its committed chain. */
export class SimChain {
  private readonly digests: Uint8Array[] = [GENESIS_DIGEST];
  readonly blocks: Uint8Array[] = [new Uint8Array(0)];

  /** Height of the last applied block. */
  get height(): number {
    return this.digests.length - 1;
  }

  /** Digest of the block at `height` (genesis is all zeros). */
  digestAt(height: number): Uint8Array | undefined {
    return this.digests[height];
  }

  /** Builds the next block for `proposer` in `view`. */
  buildNext(view: number, proposer: string, payload: number): Uint8Array {
    return encodeSimBlock({ height: this.height + 1, view, proposer, parent: this.digests[this.height], payload });
  }

  /** The ProposalValidator the replica calls. */
  validate(height: number, bytes: Uint8Array, context: ProposalContext): ProposalVerdict {
    const block = decodeSimBlock(bytes);
    if (block === undefined) return { ok: false, code: 'SIM_BLOCK_MALFORMED' };
    if (block.height !== height || height !== this.height + 1) return { ok: false, code: 'SIM_BLOCK_WRONG_HEIGHT' };
    if (!equal(block.parent, this.digests[this.height])) return { ok: false, code: 'SIM_BLOCK_WRONG_PARENT' };
    if (!context.reproposed && (block.proposer !== context.primary || block.view !== context.view)) {
      return { ok: false, code: 'SIM_BLOCK_WRONG_PROPOSER' };
    }
    return { ok: true, digest: simBlockDigest(bytes) };
  }

  /** Applies a committed block; the checker has already verified it extends this chain. */
  apply(height: number, digest: Uint8Array, bytes: Uint8Array): void {
    if (height !== this.height + 1) throw new Error(`applied height ${height} after ${this.height}`);
    this.digests.push(digest);
    this.blocks.push(bytes);
  }
}

function equal(a: Uint8Array, b: Uint8Array | undefined): boolean {
  if (b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
