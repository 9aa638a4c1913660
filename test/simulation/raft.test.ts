import { describe, expect, it } from 'vitest';
import { FAULT_PROFILES } from './faults.js';
import { eagerCommitNodes } from './raft/mutants.js';
import { replayCommand, runSeed } from './raft/simulate.js';

/**
 * Deterministic simulation of Raft clusters under network faults, crashes and compaction.
 *
 *   SIM_SEEDS=20000 npx vitest run test/simulation/raft.test.ts   # more seeds
 *   SIM_SEED_START=5000 ...                                        # a different range
 *   SIM_SEED=1234 npx vitest run test/simulation/raft.test.ts     # replay one seed
 *   SIM_SEED=1234 SIM_TRACE=1 ...                                  # ...and print its trace
 */
const seedCount = Number(process.env.SIM_SEEDS ?? 2000);
const seedStart = Number(process.env.SIM_SEED_START ?? 1);
const replaySeed = process.env.SIM_SEED === undefined ? undefined : Number(process.env.SIM_SEED);
const longRun = { timeout: 600_000 };

describe('Raft deterministic simulation', () => {
  if (replaySeed !== undefined) {
    it(`replays seed ${replaySeed}`, () => {
      const lines: string[] = [];
      const result = runSeed(replaySeed, process.env.SIM_TRACE ? { onTrace: (line) => lines.push(line) } : {});
      if (lines.length > 0) console.log(lines.join('\n'));
      expect(result.message ?? 'ok').toBe('ok');
    });
    return;
  }

  it(`holds every safety and liveness property over ${seedCount} seeds`, longRun, () => {
    const failures: string[] = [];
    const shapes = new Set<string>();
    let committed = 0;
    for (let seed = seedStart; seed < seedStart + seedCount; seed++) {
      const result = runSeed(seed);
      if (!result.ok) failures.push(result.message ?? `seed ${seed} failed`);
      shapes.add(`${result.scenario.ids.length}/${result.scenario.faults.name}`);
      committed += result.committed;
    }
    expect(failures.slice(0, 5).join('\n\n'), `${failures.length} of ${seedCount} seeds failed`).toBe('');
    // The seeds really cover both cluster sizes under every fault profile, and do work.
    if (seedCount >= 200) expect(shapes.size).toBe(2 * FAULT_PROFILES.length);
    expect(committed / seedCount).toBeGreaterThan(10);
  });

  it('replays a seed exactly: same seed, same trace hash; another seed, another hash', () => {
    const chaos = FAULT_PROFILES.find((profile) => profile.name === 'chaos');
    const first = runSeed(77, { faults: chaos, nodeCount: 5 });
    const second = runSeed(77, { faults: chaos, nodeCount: 5 });
    expect(first.ok).toBe(true);
    expect(second.traceHash).toBe(first.traceHash);
    expect(second.ticks).toBe(first.ticks);
    expect(second.committed).toBe(first.committed);
    expect(runSeed(78, { faults: chaos, nodeCount: 5 }).traceHash).not.toBe(first.traceHash);
  });

  it('catches a node that commits without a quorum, and says how to replay it', () => {
    const partitions = FAULT_PROFILES.find((profile) => profile.name === 'partitions');
    const failed = [];
    for (let seed = 1; seed <= 40 && failed.length < 3; seed++) {
      const result = runSeed(seed, { createNode: eagerCommitNodes, faults: partitions });
      if (!result.ok) failed.push(result);
    }
    expect(failed.length).toBeGreaterThan(0);
    for (const result of failed) {
      expect(['state-machine-safety', 'leader-completeness', 'log-matching']).toContain(result.violation?.rule);
      expect(result.message).toContain(`seed ${result.seed}`);
      expect(result.message).toContain(replayCommand(result.seed));
      // The failure itself replays exactly.
      const again = runSeed(result.seed, { createNode: eagerCommitNodes, faults: partitions });
      expect(again.message).toBe(result.message);
      expect(again.traceHash).toBe(result.traceHash);
    }
  });
});
