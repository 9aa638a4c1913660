import { ZERO_HASH, type BlockHeader } from '#chain';
import { describe, expect, it } from 'vitest';
import { nextDifficulty } from './retarget.js';

function chain(intervalsMs: number[], bits: number): BlockHeader[] {
  let timestampMs = 1_000_000n;
  const headers: BlockHeader[] = [];
  for (let i = 0; i <= intervalsMs.length; i++) {
    if (i > 0) timestampMs += BigInt(intervalsMs[i - 1]);
    headers.push({ chainId: 'c', height: BigInt(i), prevHash: ZERO_HASH, timestampMs, txRoot: ZERO_HASH, stateRoot: ZERO_HASH, proposer: 'p', consensusData: new Uint8Array(), txCount: 0, powDifficultyBits: bits, powNonce: 0n });
  }
  return headers;
}

describe('nextDifficulty', () => {
  it('keeps the difficulty while blocks come within a factor of two of the target', () => {
    expect(nextDifficulty(chain([1000, 900, 1100, 1000], 16), 1000)).toBe(16);
    expect(nextDifficulty(chain([600, 600, 600], 16), 1000)).toBe(16);
    expect(nextDifficulty(chain([1900, 1900], 16), 1000)).toBe(16);
  });

  it('adds one bit at twice the target speed and two at four times', () => {
    expect(nextDifficulty(chain([500, 500, 500], 16), 1000)).toBe(17);
    expect(nextDifficulty(chain([250, 250], 16), 1000)).toBe(18);
    expect(nextDifficulty(chain([0, 0, 0], 16), 1000)).toBe(18);
  });

  it('removes one bit at half the target speed and two at a quarter', () => {
    expect(nextDifficulty(chain([2000, 2000], 16), 1000)).toBe(15);
    expect(nextDifficulty(chain([4000, 5000], 16), 1000)).toBe(14);
  });

  it('looks only at the recent window and stays within bounds', () => {
    const history = chain([10, 10, 10, 10, 10, 1000, 1000, 1000], 20);
    expect(nextDifficulty(history, 1000, { window: 4 })).toBe(20);
    expect(nextDifficulty(history, 1000, { window: 9 })).toBe(20 + 1);
    expect(nextDifficulty(chain([10, 10], 63), 1000)).toBe(64);
    expect(nextDifficulty(chain([9000, 9000], 2), 1000, { minBits: 1 })).toBe(1);
    expect(nextDifficulty([], 1000, { minBits: 8 })).toBe(8);
    expect(nextDifficulty(chain([], 12), 1000)).toBe(12);
  });
});
