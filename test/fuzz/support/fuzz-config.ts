import { createHash } from 'node:crypto';

/**
 * Seed and size of every fuzz suite. CI runs a fixed seed with small run counts so a failure
 * reproduces exactly; `ACCORD_FUZZ_SEED` picks another seed and `ACCORD_FUZZ_RUNS` sets the runs
 * of every property (see test/fuzz/README.md for the full-size command).
 */
export const DEFAULT_FUZZ_SEED = 0x0acc0fd;

function positiveInteger(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** The base seed: `ACCORD_FUZZ_SEED` or the fixed CI seed. */
export const fuzzSeed: number = positiveInteger('ACCORD_FUZZ_SEED', process.env.ACCORD_FUZZ_SEED) ?? DEFAULT_FUZZ_SEED;

const runsOverride = positiveInteger('ACCORD_FUZZ_RUNS', process.env.ACCORD_FUZZ_RUNS);

/** Runs of one property: `ACCORD_FUZZ_RUNS` when set, else the suite's CI default. */
export function fuzzRuns(ciDefault: number): number {
  return runsOverride ?? ciDefault;
}

/** A seed of its own for each property, so properties do not replay one another's values. */
export function seedFor(label: string): number {
  return createHash('sha256').update(`${fuzzSeed}:${label}`).digest().readUInt32BE(0) & 0x7fff_ffff;
}

/** fast-check parameters of one property. */
export function fuzzParameters(label: string, ciDefault: number): { seed: number; numRuns: number } {
  return { seed: seedFor(label), numRuns: fuzzRuns(ciDefault) };
}

/** A test timeout that grows with the runs (`perRunMs` each) above a fixed floor. */
export function fuzzTimeout(runs: number, perRunMs: number, floorMs = 60_000): number {
  return floorMs + runs * perRunMs;
}
