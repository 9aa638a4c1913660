import { appendFileSync } from 'node:fs';
import { testAccount } from '../support/chain-fixtures.js';
import { until } from '../support/wait.js';
import { ChaosCluster, type NodeFaults } from './chaos-cluster.js';
import { checkHistory, isSound, type CheckResult } from './checker.js';
import type { Fault } from './faults.js';
import { Random } from './random.js';
import { Workload } from './workload.js';

/** How big a run is: CI runs `small`; `ACCORD_CHAOS_SIZE=full` runs `full`. */
export interface ChaosSize {
  name: 'small' | 'full';
  /** Concurrent clients (one sender account each). */
  clients: number;
  /** How long each fault is held before it is healed (after its effect was seen). */
  holdMs: number;
  /** Quiet time with traffic between faults. */
  settleMs: number;
  /** How many times the scenario's fault list is played. */
  cycles: number;
}

export const CHAOS_SIZES: Record<ChaosSize['name'], ChaosSize> = {
  small: { name: 'small', clients: 4, holdMs: 3000, settleMs: 1500, cycles: 1 },
  full: { name: 'full', clients: 16, holdMs: 8000, settleMs: 4000, cycles: 3 },
};

export function chaosSize(): ChaosSize {
  const name = process.env.ACCORD_CHAOS_SIZE ?? 'small';
  if (name !== 'small' && name !== 'full') throw new Error(`ACCORD_CHAOS_SIZE must be small or full, not ${name}`);
  return CHAOS_SIZES[name];
}

/** The seed of every random choice (victims, split halves, target validators). */
export function chaosSeed(): number {
  return Number(process.env.ACCORD_CHAOS_SEED ?? 1);
}

export interface Scenario {
  name: string;
  consensus: 'raft' | 'pbft';
  faults: Fault[];
  /** Faults some validators carry from their start (clock skew, the slow-disk shim). */
  nodeFaults?: Record<string, NodeFaults>;
  /** Checks once the cluster is up, e.g. that start-time faults took effect. */
  afterStart?: (cluster: ChaosCluster) => Promise<void>;
}

export interface ScenarioReport {
  scenario: string;
  consensus: 'raft' | 'pbft';
  size: string;
  seed: number;
  faults: string[];
  check: CheckResult;
  /** Transactions a client had to send more than once (no definite answer at the first try). */
  resubmitted: number;
  sound: boolean;
  /** Per healed fault: from the heal until a fresh transaction committed on every validator. */
  healMs: number[];
  ledgers: Array<{ nodeId: string; code: number | null; verdict: string }>;
  identicalHeads: boolean;
  durationSeconds: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until a fresh transaction commits and every running validator has its block. */
async function measureHeal(cluster: ChaosCluster, workload: Workload, probe: { index: number; nonce: bigint }): Promise<number> {
  const started = Date.now();
  const sender = testAccount(`member-${probe.index}`);
  const record = await workload.commitOne(sender, probe.index, probe.nonce++, 120_000);
  const height = record.ack?.height ?? 0;
  await until(`every validator at height ${height}`, async () => ((await Promise.all([...cluster.nodes.keys()].map((id) => cluster.height(id)))).every((h) => h >= height) ? true : undefined), 120_000);
  return Date.now() - started;
}

/** Plays a scenario on a fresh cluster and checks what the clients saw against every ledger. */
export async function runScenario(scenario: Scenario, size: ChaosSize, seed: number, log: (line: string) => void = () => undefined): Promise<ScenarioReport> {
  const started = Date.now();
  const random = new Random(seed);
  // Accounts: member-0..clients-1 are the clients, then the sink, then the heal probe.
  const cluster = await ChaosCluster.create({ consensus: scenario.consensus, validators: 4, members: size.clients + 2, faults: scenario.nodeFaults });
  try {
    await cluster.startAll();
    await cluster.waitLeader();
    await scenario.afterStart?.(cluster);
    const senders = Array.from({ length: size.clients }, (_, i) => testAccount(`member-${i}`));
    const workload = new Workload(cluster, senders, testAccount(`member-${size.clients}`), random);
    const probe = { index: size.clients + 1, nonce: 0n };
    workload.start();
    await pause(size.settleMs);
    const faults: string[] = [];
    const healMs: number[] = [];
    for (let cycle = 0; cycle < size.cycles; cycle++) {
      for (const fault of scenario.faults) {
        const injected = await fault.inject(cluster, random);
        log(`${scenario.name}: ${injected.description}`);
        await pause(size.holdMs);
        await injected.confirm();
        await injected.heal();
        healMs.push(await measureHeal(cluster, workload, probe));
        faults.push(injected.description);
        log(`${scenario.name}: healed in ${healMs.at(-1)} ms; ${workload.acknowledged()} acknowledged so far`);
        await pause(size.settleMs);
      }
    }
    await workload.stop();
    // What a client left unanswered may still commit: give it the time a pool needs.
    await pause(3000);
    const ids = cluster.nodeIds;
    const target = Math.max(...(await Promise.all(ids.map((id) => cluster.height(id)))));
    await until(`every validator at height ${target}`, async () => ((await Promise.all(ids.map((id) => cluster.height(id)))).every((h) => h >= target) ? true : undefined), 120_000);
    const chains = await Promise.all(ids.map(async (nodeId) => ({ nodeId, blocks: await cluster.chain(nodeId, target) })));
    const check = checkHistory(workload.history.values(), chains);
    // Raft makes no empty blocks, so idle validators end on the same head; PBFT primaries
    // keep proposing, so there the ledgers are compared at the common height above.
    const identicalHeads =
      scenario.consensus === 'pbft' ||
      (await until('identical heads', async () => {
        const statuses = await Promise.all(ids.map((id) => cluster.client(id).status()));
        return new Set(statuses.map((s) => `${s.height}/${s.headHash}/${s.stateRoot}`)).size === 1 ? true : undefined;
      }, 60_000).catch(() => false));
    await cluster.stopGracefully();
    const ledgers = await cluster.verifyLedgers();
    const report: ScenarioReport = {
      scenario: scenario.name,
      consensus: scenario.consensus,
      size: size.name,
      seed,
      faults,
      check,
      resubmitted: [...workload.history.values()].filter((r) => r.attempts > 1).length,
      sound: isSound(check),
      healMs,
      ledgers,
      identicalHeads,
      durationSeconds: Math.round((Date.now() - started) / 1000),
    };
    if (process.env.ACCORD_CHAOS_REPORT) appendFileSync(process.env.ACCORD_CHAOS_REPORT, `${JSON.stringify(report)}\n`);
    return report;
  } catch (error) {
    throw new Error(`${scenario.name} (seed ${seed}) failed: ${(error as Error).message}\n${cluster.logs()}`, { cause: error });
  } finally {
    await cluster.dispose();
  }
}
