import type { ValidatorId } from './types.js';

/** The number of Byzantine validators `n` validators tolerate: f = floor((n - 1) / 3). */
export function maxFaulty(validatorCount: number): number {
  return Math.floor((validatorCount - 1) / 3);
}

/**
 * The smallest quorum such that any two quorums intersect in at least f+1 validators (so in at
 * least one honest one): floor((n + f) / 2) + 1. This is 2f+1 when n = 3f+1 and stays safe when
 * n is not of that form (e.g. 4 of 5, where 2f+1 = 3 would not be).
 */
export function quorumSize(validatorCount: number): number {
  return Math.floor((validatorCount + maxFaulty(validatorCount)) / 2) + 1;
}

/** The primary of `view`: validators[view mod n], in genesis order. */
export function primaryOf(validators: readonly ValidatorId[], view: number): ValidatorId {
  return validators[view % validators.length];
}

/** A lowercase hex rendering of bytes, used as a map key for digests. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Byte-wise equality of two arrays. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
