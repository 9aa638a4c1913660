import { hash } from 'node:crypto';

/** Length of every hash in the chain (SHA-256). */
export const HASH_BYTES = 32;

/** The all-zero hash: the parent of the genesis block. */
export const ZERO_HASH: Uint8Array = new Uint8Array(HASH_BYTES);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * SHA-256 of the concatenation of `parts`. Uses OpenSSL through node:crypto (a pure function:
 * no I/O) because block and Merkle hashing sit on the hot path. The one-shot `hash()` costs about
 * half of a `createHash()` object for the small inputs hashed per transaction (hashes, Merkle
 * nodes), so the parts are joined first; they are at most a few kilobytes.
 */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const digest = hash('sha256', parts.length === 1 ? parts[0] : concat(parts), 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}
