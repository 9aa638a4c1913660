import { blockHash } from './codec.js';
import type { BlockHeader } from './types.js';

/** Whether `hash` starts with at least `difficultyBits` zero bits. */
export function meetsDifficulty(hash: Uint8Array, difficultyBits: number): boolean {
  let remaining = difficultyBits;
  for (let i = 0; remaining > 0; i++) {
    if (i >= hash.length) return false;
    const byte = hash[i];
    if (remaining >= 8) {
      if (byte !== 0) return false;
      remaining -= 8;
    } else {
      return byte >> (8 - remaining) === 0;
    }
  }
  return true;
}

/** Whether a header's proof-of-work seal is valid for the difficulty it must have. */
export function verifyPowSeal(header: BlockHeader, requiredDifficultyBits: number): boolean {
  if (header.powDifficultyBits !== requiredDifficultyBits) return false;
  if (requiredDifficultyBits === 0) return header.powNonce === 0n;
  return meetsDifficulty(blockHash(header), requiredDifficultyBits);
}
