import { createHash } from 'node:crypto';

/** Length of every hash in the chain (SHA-256). */
export const HASH_BYTES = 32;

/** The all-zero hash: the parent of the genesis block. */
export const ZERO_HASH: Uint8Array = new Uint8Array(HASH_BYTES);

/**
 * SHA-256 of the concatenation of `parts`. Uses OpenSSL through node:crypto (a pure function:
 * no I/O) because block and Merkle hashing sit on the hot path.
 */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  const digest = hash.digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}
