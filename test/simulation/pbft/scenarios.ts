import type { PbftSimOptions } from './cluster.js';

/** Pre-GST ticks of asynchrony in CI runs. */
export const GST_TICK = 150;

/**
 * Ticks after GST within which every honest replica must commit again. The worst case is a run
 * of failed views at the capped timeout (24 ticks doubled 3 times = 192) while the f Byzantine
 * primaries come up in turn; observed recoveries stay under 700 ticks.
 */
export const LIVENESS_BOUND_TICKS = 1500;

/** The CI scenario for `seed`: n alternates between 4 and 7, with f Byzantine validators. */
export function scenarioFor(seed: number): PbftSimOptions {
  const validatorCount = seed % 2 === 0 ? 4 : 7;
  return {
    seed,
    validatorCount,
    byzantineCount: (validatorCount - 1) / 3,
    gstTick: GST_TICK,
    livenessBoundTicks: LIVENESS_BOUND_TICKS,
  };
}

/** The command that replays one seed. */
export function replayCommand(seed: number): string {
  return `SIM_SEED=${seed} npx vitest run test/simulation/pbft/pbft-simulation.test.ts`;
}
