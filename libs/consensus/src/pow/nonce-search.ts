import { encodeBlockHeader, meetsDifficulty, type BlockHeader } from '#chain';
import * as crypto from 'node:crypto';

/** Protobuf tag of `BlockHeader.pow_nonce` (field 11, varint): the last field of the encoding. */
const NONCE_TAG = 11 << 3;
const MAX_VARINT_BYTES = 10;
const MAX_NONCE = (1n << 64n) - 1n;

/**
 * OpenSSL SHA-256 of one buffer. `crypto.hash` (Node >= 20.12) skips the Hash object that
 * `createHash` allocates per call, about 1.5x the hash rate on a header-sized input; older
 * Node versions fall back to `createHash`.
 */
export const sha256Once: (data: Uint8Array) => Uint8Array =
  typeof crypto.hash === 'function' ? (data) => crypto.hash('sha256', data, 'buffer') : (data) => crypto.createHash('sha256').update(data).digest();

/**
 * The header encoding with `powNonce = 0` (which omits the nonce field) and the difficulty
 * set: a nonce `n > 0` encodes as this template followed by `[0x58, varint(n)]`.
 */
export function sealTemplate(header: BlockHeader, difficultyBits: number): Uint8Array {
  return encodeBlockHeader({ ...header, powDifficultyBits: difficultyBits, powNonce: 0n });
}

/** What one search over a nonce range found and cost. */
export interface NonceSearchResult {
  /** The first nonce of the range that meets the difficulty, with its block hash. */
  found?: { nonce: bigint; hash: Uint8Array };
  /** Hashes computed. */
  hashes: number;
  /** Whether `shouldStop` ended the search early. */
  stopped: boolean;
}

function writeVarint(buffer: Uint8Array, offset: number, value: bigint): number {
  let length = 0;
  while (value > 0x7fn) {
    buffer[offset + length++] = Number(value & 0x7fn) | 0x80;
    value >>= 7n;
  }
  buffer[offset + length++] = Number(value);
  return length;
}

/**
 * Searches nonces `startNonce .. startNonce + count - 1` (all > 0) of a `sealTemplate` for a
 * block hash with `difficultyBits` leading zero bits. The header is encoded once; each step
 * increments the nonce's varint in place (growing it by a byte when it carries over) and hashes
 * the buffer with OpenSSL SHA-256 (`sha256Once`). `shouldStop` is polled every `checkEveryHashes` hashes.
 */
export function searchNonces(
  template: Uint8Array,
  difficultyBits: number,
  startNonce: bigint,
  count: number,
  shouldStop?: () => boolean,
  checkEveryHashes = 1024,
): NonceSearchResult {
  if (startNonce < 1n) throw new RangeError('nonce ranges start at 1 (nonce 0 omits the field)');
  const maxCount = MAX_NONCE - startNonce + 1n;
  const total = BigInt(count) > maxCount ? Number(maxCount) : count;
  const buffer = new Uint8Array(template.length + 1 + MAX_VARINT_BYTES);
  buffer.set(template);
  buffer[template.length] = NONCE_TAG;
  const varintStart = template.length + 1;
  let end = varintStart + writeVarint(buffer, varintStart, startNonce);
  let view = buffer.subarray(0, end);
  // A hash can only qualify when its first byte is small enough: filter before the full check.
  const firstByteLimit = difficultyBits >= 8 ? 0 : 0xff >> difficultyBits;

  for (let i = 0; i < total; i++) {
    if (shouldStop && i % checkEveryHashes === 0 && i > 0 && shouldStop()) return { hashes: i, stopped: true };
    const digest = sha256Once(view);
    if (digest[0] <= firstByteLimit && meetsDifficulty(digest, difficultyBits)) {
      return { found: { nonce: startNonce + BigInt(i), hash: new Uint8Array(digest) }, hashes: i + 1, stopped: false };
    }
    // Increment the little-endian base-128 varint in place.
    let at = varintStart;
    for (;;) {
      const digit = (buffer[at] & 0x7f) + 1;
      if (digit < 0x80) {
        buffer[at] = (buffer[at] & 0x80) | digit;
        break;
      }
      const last = (buffer[at] & 0x80) === 0;
      buffer[at] = 0x80;
      at++;
      if (last) {
        buffer[at] = 1;
        end++;
        view = buffer.subarray(0, end);
        break;
      }
    }
  }
  return { hashes: total, stopped: false };
}
