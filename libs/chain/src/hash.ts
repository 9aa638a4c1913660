import { hash } from 'node:crypto';

/** Length of every hash in the chain (SHA-256). */
export const HASH_BYTES = 32;

/** The all-zero hash: the parent of the genesis block. */
export const ZERO_HASH: Uint8Array = new Uint8Array(HASH_BYTES);

// Small inputs are joined in one reused buffer (hashing is synchronous, so nothing else can be
// using it meanwhile): Merkle nodes and signing digests are hashed per transaction, and a fresh
// buffer for each would be garbage the moment it is hashed.
const SCRATCH_BYTES = 4096;
const scratch = new Uint8Array(SCRATCH_BYTES);

function joined(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = length <= SCRATCH_BYTES ? scratch : new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out.subarray(0, length);
}

/**
 * SHA-256 of the concatenation of `parts`. Uses OpenSSL through node:crypto (a pure function:
 * no I/O) because block and Merkle hashing sit on the hot path. The one-shot `hash()` costs about
 * half of a `createHash()` object for the small inputs hashed per transaction (hashes, Merkle
 * nodes), so the parts are joined first.
 */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const digest = hash('sha256', parts.length === 1 ? parts[0] : joined(parts), 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}
