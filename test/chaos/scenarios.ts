import { expect } from 'vitest';
import type { ChaosCluster } from './chaos-cluster.js';
import { dropLeaderOutbound, isolateLeader, killFollower, killLeader, pauseLeader, slowDiskLeader, splitHalves } from './faults.js';
import type { ChaosSize, Scenario, ScenarioReport } from './scenario.js';

/** Wall clock offsets of the skewed validators: inside the 5 minutes certificates are backdated. */
export const CLOCK_SKEWS: Record<string, number> = { 'validator-3': -150, 'validator-4': 150 };

/** The skewed validators run under libfaketime and their HTTP Date headers show the offset. */
export async function expectClockSkew(cluster: ChaosCluster): Promise<void> {
  for (const [nodeId, seconds] of Object.entries(CLOCK_SKEWS)) {
    expect(cluster.hasLoaded(nodeId, 'libfaketime'), `${nodeId} runs under libfaketime`).toBe(true);
    const response = await fetch(new URL('/v1/status', cluster.nodes.get(nodeId)?.url));
    const offsetSeconds = (Date.parse(response.headers.get('date') ?? '') - Date.now()) / 1000;
    // Date headers have whole seconds; a loaded machine may answer a few seconds late.
    expect(Math.abs(offsetSeconds - seconds), `${nodeId} clock offset ${offsetSeconds} s`).toBeLessThan(30);
  }
}

const everyNodeSlowDisk = (skews: Record<string, number>): Scenario['nodeFaults'] =>
  Object.fromEntries(['validator-1', 'validator-2', 'validator-3', 'validator-4'].map((id) => [id, { slowDisk: true, clockSkewSeconds: skews[id] }]));

/** Raft: crashes, hangs, a slow disk and skewed clocks; then network faults. */
export function raftScenarios(size: ChaosSize): Scenario[] {
  const full = size.name === 'full';
  return [
    {
      name: 'raft-process',
      consensus: 'raft',
      nodeFaults: everyNodeSlowDisk(CLOCK_SKEWS),
      afterStart: expectClockSkew,
      faults: full ? [killLeader, killFollower, pauseLeader, slowDiskLeader(300, false), slowDiskLeader(300, true)] : [killLeader, pauseLeader, slowDiskLeader(300, true)],
    },
    { name: 'raft-network', consensus: 'raft', faults: [isolateLeader, dropLeaderOutbound, splitHalves] },
  ];
}

/** PBFT: the primary crashes and is cut off (full size: hangs, one-way loss, a 2 | 2 split too). */
export function pbftScenarios(size: ChaosSize): Scenario[] {
  const full = size.name === 'full';
  return [{ name: 'pbft-crash-partition', consensus: 'pbft', faults: full ? [killLeader, isolateLeader, pauseLeader, dropLeaderOutbound, splitHalves] : [killLeader, isolateLeader] }];
}

/** What every chaos run must show, whatever its faults. */
export function expectSound(report: ScenarioReport, faultsPlayed: number): void {
  const { check } = report;
  expect(report.faults).toHaveLength(faultsPlayed);
  expect(check.acknowledged, 'clients got acknowledgements').toBeGreaterThan(0);
  expect(check.lost, 'acknowledged but missing').toEqual([]);
  expect(check.duplicates, 'committed more than once').toEqual([]);
  expect(check.moved, 'committed elsewhere than acknowledged').toEqual([]);
  expect(check.unknown, 'committed but never sent').toEqual([]);
  expect(check.divergentHeights, 'heights with different blocks').toEqual([]);
  expect(report.identicalHeads, 'identical heads').toBe(true);
  for (const ledger of report.ledgers) expect(ledger, `accord ledger verify on ${ledger.nodeId}`).toMatchObject({ code: 0, verdict: expect.stringContaining('"ok":true') });
}
