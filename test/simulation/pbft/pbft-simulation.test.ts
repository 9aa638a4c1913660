import { describe, expect, it } from 'vitest';
import { runPbftSimulation } from './cluster.js';
import { replayCommand, scenarioFor } from './scenarios.js';

// SIM_SEED=<n> replays one seed; SIM_SEEDS=<count> runs more (or fewer) seeds, starting at
// SIM_FIRST_SEED (default 1) to explore beyond the CI range.
const singleSeed = process.env.SIM_SEED === undefined ? undefined : Number(process.env.SIM_SEED);
const seedCount = Number(process.env.SIM_SEEDS ?? 2000);
const firstSeed = Number(process.env.SIM_FIRST_SEED ?? 1);
const seeds = singleSeed !== undefined ? [singleSeed] : Array.from({ length: seedCount }, (_, i) => firstSeed + i);

describe('PBFT under Byzantine validators (seeded simulation)', () => {
  it(`stays safe and recovers liveness after GST for ${seeds.length} seed(s), f Byzantine of n in {4, 7}`, () => {
    const failures: string[] = [];
    let committedHeights = 0;
    let syncRejections = 0;
    const drops = new Map<string, number>();
    for (const seed of seeds) {
      const scenario = scenarioFor(seed);
      let result: ReturnType<typeof runPbftSimulation>;
      try {
        result = runPbftSimulation(scenario);
      } catch (error) {
        failures.push(`seed ${seed} (n=${scenario.validatorCount}) threw: ${String(error)}\n  replay: ${replayCommand(seed)}`);
        break;
      }
      committedHeights += Math.min(...result.honestHeights);
      syncRejections += result.syncRejections;
      for (const [reason, count] of Object.entries(result.honestDrops)) drops.set(reason, (drops.get(reason) ?? 0) + (count ?? 0));
      if (result.violation !== undefined) {
        failures.push(
          `seed ${seed} (n=${scenario.validatorCount}, byzantine ${JSON.stringify(result.byzantine)}): ${result.violation}\n  replay: ${replayCommand(seed)}`,
        );
        if (failures.length >= 5) break;
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
    if (singleSeed === undefined && seeds.length >= 200) {
      // The runs did real work: honest replicas committed blocks, not just survived idle.
      expect(committedHeights).toBeGreaterThan(seeds.length);
      // The adversary reached every defence: each kind of bad message was seen and dropped.
      for (const reason of ['malformed', 'not-validator', 'bad-signature', 'equivocation', 'repeated', 'stale-view', 'future-view', 'outside-watermarks', 'not-primary', 'invalid-proposal', 'invalid-view-change', 'invalid-new-view']) {
        expect(drops.get(reason) ?? 0, reason).toBeGreaterThan(0);
      }
      expect(syncRejections).toBeGreaterThan(0);
    }
  }, 600_000);

  it('replays a seed exactly: same seed, same trace', () => {
    for (const seed of [3, 8, 11]) {
      const first = runPbftSimulation(scenarioFor(seed));
      const second = runPbftSimulation(scenarioFor(seed));
      expect(second.traceHash).toBe(first.traceHash);
      expect(second.honestHeights).toEqual(first.honestHeights);
    }
    expect(runPbftSimulation(scenarioFor(3)).traceHash).not.toBe(runPbftSimulation(scenarioFor(5)).traceHash);
  });
});
