import { beforeAll, describe, it } from 'vitest';
import { requireBuild } from '../support/process.js';
import { chaosSeed, chaosSize, runScenario } from './scenario.js';
import { expectSound, raftScenarios } from './scenarios.js';

const size = chaosSize();
const seed = chaosSeed();

describe(`Raft under faults: 4 validator processes through fault-injecting proxies (${size.name}, seed ${seed})`, () => {
  beforeAll(() => requireBuild());

  for (const scenario of raftScenarios(size)) {
    const faults = scenario.faults.map((f) => f.name).join(', ');
    it(`${scenario.name} [${faults}]: every acknowledged transfer is committed exactly once on every validator, no height diverges, every ledger verifies`, async () => {
      const report = await runScenario(scenario, size, seed, (line) => console.log(line));
      console.log(JSON.stringify({ scenario: report.scenario, check: { ...report.check, unknown: report.check.unknown.length }, healMs: report.healMs, seconds: report.durationSeconds }));
      expectSound(report, scenario.faults.length * size.cycles);
    }, 900_000);
  }
});
