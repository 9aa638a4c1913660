import type { BlockHeader } from '#chain';

/** Bounds of `nextDifficulty`. */
export interface RetargetOptions {
  /** Most recent headers considered; 10 when omitted. */
  window?: number;
  /** Lowest difficulty returned; 1 when omitted. */
  minBits?: number;
  /** Highest difficulty returned; 64 when omitted. */
  maxBits?: number;
}

/**
 * The difficulty for the next block, from the timestamps of the previous ones (in chain order):
 * one bit more when blocks came at least twice as fast as `targetSealMs`, two at four times;
 * one bit less when at least twice as slow, two at four times; unchanged in between. Integer
 * arithmetic only, so every node computes the same value.
 */
export function nextDifficulty(previousHeaders: readonly BlockHeader[], targetSealMs: number, options: RetargetOptions = {}): number {
  const minBits = options.minBits ?? 1;
  const maxBits = options.maxBits ?? 64;
  const clamp = (bits: number) => Math.min(maxBits, Math.max(minBits, bits));
  if (previousHeaders.length === 0) return minBits;
  const recent = previousHeaders.slice(-Math.max(2, options.window ?? 10));
  const current = recent[recent.length - 1].powDifficultyBits;
  if (recent.length < 2) return clamp(current);
  const intervals = BigInt(recent.length - 1);
  const actualMs = recent[recent.length - 1].timestampMs - recent[0].timestampMs;
  const expectedMs = intervals * BigInt(Math.max(1, Math.round(targetSealMs)));
  let step = 0;
  if (actualMs * 4n <= expectedMs) step = 2;
  else if (actualMs * 2n <= expectedMs) step = 1;
  else if (actualMs >= expectedMs * 4n) step = -2;
  else if (actualMs >= expectedMs * 2n) step = -1;
  return clamp(current + step);
}
