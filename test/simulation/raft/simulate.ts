import { SeededRandom, type RaftConfig, type RaftNode, type RaftNodeOptions } from '#consensus';
import { applyNetworkFault, describeFault, drawFaults, FAULT_PROFILES, type FaultProfile } from '../faults.js';
import { SimNetwork } from '../net.js';
import { TraceHash } from '../trace.js';
import { SimulationViolation } from './checker.js';
import { RaftCluster } from './cluster.js';

/** The command that replays one seed; printed with every failure. */
export function replayCommand(seed: number): string {
  return `SIM_SEED=${seed} npx vitest run test/simulation/raft.test.ts`;
}

/** The whole scenario of one seed, derived from the seed alone. */
export interface Scenario {
  readonly seed: number;
  readonly ids: readonly string[];
  readonly raft: RaftConfig;
  readonly faults: FaultProfile;
  /** Ticks of faults and client load. */
  readonly faultTicks: number;
  /** After healing, a new proposal must be applied everywhere within this many ticks. */
  readonly livenessBoundTicks: number;
  readonly proposalPerTick: number;
  /** Per tick, probability of isolating or crashing whoever leads (forces elections). */
  readonly leaderFaultPerTick: number;
  readonly compactThreshold: number;
  readonly compactKeep: number;
}

/** Overrides for a run: a fixed shape, or a deliberately broken node or driver. */
export interface RunOverrides {
  readonly nodeCount?: 3 | 5;
  readonly faults?: FaultProfile;
  readonly raft?: Partial<RaftConfig>;
  readonly createNode?: (options: RaftNodeOptions) => RaftNode;
  readonly loseVoteOnRestart?: boolean;
  /** Receives every trace line (for debugging a replay). */
  readonly onTrace?: (line: string) => void;
}

/** What one seed did. */
export interface RunResult {
  readonly seed: number;
  readonly scenario: Scenario;
  readonly ok: boolean;
  /** Set when a property broke; `message` then includes the seed and the replay command. */
  readonly violation?: SimulationViolation;
  readonly message?: string;
  readonly traceHash: string;
  readonly ticks: number;
  readonly committed: number;
}

/** Derives a scenario from a seed. */
export function scenarioFor(seed: number, overrides: RunOverrides = {}): Scenario {
  const random = new SeededRandom(seed ^ 0x5eed);
  const nodeCount = overrides.nodeCount ?? (random.nextFloat() < 0.6 ? 3 : 5);
  const modes = random.nextFloat();
  const [preVote, checkQuorum] = modes < 0.7 ? [true, true] : modes < 0.8 ? [false, false] : modes < 0.9 ? [true, false] : [false, true];
  const raft: RaftConfig = {
    electionTicks: 10,
    heartbeatTicks: 1 + random.nextInt(3),
    maxInflightMsgs: 1 + random.nextInt(8),
    maxSizePerMsgBytes: [40, 100, 4096][random.nextInt(3)],
    preVote,
    checkQuorum,
    ...overrides.raft,
  };
  return {
    seed,
    ids: ['n1', 'n2', 'n3', 'n4', 'n5'].slice(0, nodeCount),
    raft,
    faults: overrides.faults ?? FAULT_PROFILES[random.nextInt(FAULT_PROFILES.length)],
    faultTicks: 200 + random.nextInt(300),
    livenessBoundTicks: 30 * raft.electionTicks,
    proposalPerTick: 0.05 + random.nextFloat() * 0.4,
    leaderFaultPerTick: random.nextFloat() < 0.5 ? 0 : 0.02,
    compactThreshold: [6, 20, 60][random.nextInt(3)],
    compactKeep: random.nextInt(4),
  };
}

/**
 * Runs one seed: a fault phase with client proposals, then healing, then a liveness probe.
 * Safety properties are checked on every observation, Log Matching every few ticks.
 */
export function runSeed(seed: number, overrides: RunOverrides = {}): RunResult {
  const scenario = scenarioFor(seed, overrides);
  const master = new SeededRandom(seed);
  const trace = new TraceHash();
  const onTrace = overrides.onTrace;
  const traced = onTrace === undefined ? trace : tee(trace, onTrace);
  const net = new SimNetwork<Uint8Array>(scenario.ids, new SeededRandom(master.nextUint32()));
  const faultRandom = new SeededRandom(master.nextUint32());
  const loadRandom = new SeededRandom(master.nextUint32());
  const cluster = new RaftCluster(
    {
      ids: scenario.ids,
      raft: scenario.raft,
      compactThreshold: scenario.compactThreshold,
      compactKeep: scenario.compactKeep,
      createNode: overrides.createNode,
      loseVoteOnRestart: overrides.loseVoteOnRestart,
    },
    net,
    new SeededRandom(master.nextUint32()),
    traced,
  );
  let proposals = 0;
  const payload = (): Uint8Array => new TextEncoder().encode(`${seed}:${proposals++}`);
  try {
    for (let t = 0; t < scenario.faultTicks; t++) {
      for (const event of drawFaults(scenario.ids, faultRandom, scenario.faults, cluster.downIds())) {
        traced.add(`${net.nowTick} fault ${describeFault(event)}`);
        if (applyNetworkFault(net, event)) continue;
        if (event.kind === 'crash') cluster.crash(event.id, event.beforePersist);
        else if (event.kind === 'restart') cluster.restart(event.id);
      }
      if (faultRandom.nextFloat() < scenario.leaderFaultPerTick) {
        const leader = currentLeader(cluster);
        if (leader !== undefined) {
          const crash = faultRandom.nextFloat() < 0.5;
          traced.add(`${net.nowTick} fault ${crash ? 'crash' : 'isolate'} leader ${leader}`);
          if (crash) cluster.crash(leader, faultRandom.nextFloat() < 0.5);
          else net.isolate(leader);
        }
      }
      cluster.tick();
      if (loadRandom.nextFloat() < scenario.proposalPerTick) {
        cluster.propose(scenario.ids[loadRandom.nextInt(scenario.ids.length)], payload());
      }
      if (t % 10 === 0) cluster.checkLogMatching();
    }
    // Heal everything, then demand progress within the bound.
    net.heal();
    net.setOptions({ minDelayTicks: 1, maxDelayTicks: 3, dropProbability: 0, duplicateProbability: 0 });
    for (const id of cluster.downIds()) cluster.restart(id);
    traced.add(`${net.nowTick} healed`);
    const healedAt = net.nowTick;
    const markers: Uint8Array[] = [];
    let lastAttempt = -Infinity;
    for (;;) {
      const elapsed = net.nowTick - healedAt;
      if (elapsed > scenario.livenessBoundTicks) {
        throw new SimulationViolation('liveness', `no proposal applied on every node within ${scenario.livenessBoundTicks} ticks of healing`);
      }
      if (markers.some((marker) => appliedEverywhere(cluster, marker))) break;
      if (elapsed - lastAttempt >= 3 * scenario.raft.electionTicks) {
        const leader = currentLeader(cluster);
        if (leader !== undefined) {
          const marker = payload();
          if (cluster.propose(leader, marker)) {
            markers.push(marker);
            lastAttempt = elapsed;
          }
        }
      }
      cluster.tick();
    }
    cluster.checkLogMatching();
    return result(scenario, trace, net.nowTick, cluster.checker.committedCount);
  } catch (error) {
    if (!(error instanceof SimulationViolation)) throw error;
    const message =
      `Raft simulation violated ${error.message}\n` +
      `  seed ${seed}, tick ${net.nowTick}, ${scenario.ids.length} nodes, faults "${scenario.faults.name}", ` +
      `preVote=${scenario.raft.preVote} checkQuorum=${scenario.raft.checkQuorum}\n` +
      `  replay: ${replayCommand(seed)}`;
    return { ...result(scenario, trace, net.nowTick, cluster.checker.committedCount), ok: false, violation: error, message };
  }
}

function result(scenario: Scenario, trace: TraceHash, ticks: number, committed: number): RunResult {
  return { seed: scenario.seed, scenario, ok: true, traceHash: trace.digest(), ticks, committed };
}

function appliedEverywhere(cluster: RaftCluster, marker: Uint8Array): boolean {
  const index = cluster.checker.indexOfPayload(marker);
  return index !== undefined && cluster.members.every((m) => m.disk.ledger.length >= index);
}

/** The live leader with the highest term, if any. */
function currentLeader(cluster: RaftCluster): string | undefined {
  let best: RaftNode | undefined;
  for (const node of cluster.liveNodes()) {
    if (node.role === 'leader' && (best === undefined || node.term > best.term)) best = node;
  }
  return best?.id;
}

function tee(trace: TraceHash, onTrace: (line: string) => void): TraceHash {
  return new (class extends TraceHash {
    override add(event: string): void {
      trace.add(event);
      onTrace(event);
    }
  })();
}
