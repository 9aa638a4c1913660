import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SeededRandom } from '#consensus';
import { backoffDelayMs, DEFAULT_BACKOFF } from './backoff.js';

/** Fixed seed: CI runs must be reproducible. */
const RUNS = { seed: 0xbac0_0ff, numRuns: 200 };

describe('backoffDelayMs', () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 5000, multiplier: 2 };

  it('grows exponentially with equal jitter and never exceeds the bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const delay = backoffDelayMs(attempt, policy, { nextFloat: () => r });
        const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** attempt);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
        expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
      }),
      RUNS,
    );
  });

  it('is reproducible from a seeded source and spreads retries out', () => {
    const run = (seed: number) => Array.from({ length: 6 }, (_, attempt) => backoffDelayMs(attempt, DEFAULT_BACKOFF, new SeededRandom(seed + attempt)));
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    expect(backoffDelayMs(0, policy, { nextFloat: () => 0 })).toBe(50);
    expect(backoffDelayMs(3, policy, { nextFloat: () => 0.5 })).toBe(600);
    expect(backoffDelayMs(50, policy, { nextFloat: () => 0.999 })).toBeCloseTo(4997.5);
  });
});
