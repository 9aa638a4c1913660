import {
  PbftReplica,
  SeededRandom,
  decodePbftPersistentState,
  encodePbftMessage,
  encodePbftPersistentState,
  quorumSize,
  type CommittedBlock,
  type PbftMessage,
  type PbftDropReason,
  type PbftPersistentState,
} from '#consensus';
import { SimNetwork } from '../net.js';
import { TraceHash } from '../trace.js';
import { BYZANTINE_PROFILES, ByzantineCoalition, type ByzantineProfile, type Packet } from './byzantine.js';
import { SafetyChecker } from './checker.js';
import { SimKeyring } from './fake-authenticator.js';
import { SimChain, simBlockDigest } from './sim-app.js';

const CHAIN_ID = 'accord-pbft-sim';

/** One simulation run's shape. */
export interface PbftSimOptions {
  readonly seed: number;
  readonly validatorCount: number;
  readonly byzantineCount: number;
  /** Ticks of asynchrony (drops, partitions, crashes) before the global stabilisation time. */
  readonly gstTick: number;
  /** After GST every honest replica must commit above the pre-GST maximum within this many ticks. */
  readonly livenessBoundTicks: number;
  /** Unsafe quorum, only to prove the checker catches divergence. */
  readonly quorumOverride?: number;
  /** Force every Byzantine node into one profile (default: drawn per node from the seed). */
  readonly profile?: ByzantineProfile;
  /** Disable crashes of honest replicas (e.g. when the run must stay within f faults of any kind). */
  readonly crashes?: boolean;
}

/** Outcome of a run. */
export interface PbftSimResult {
  readonly seed: number;
  readonly violation: string | undefined;
  /** Hash of every commit, drop and view event, in order: equal seeds give equal hashes. */
  readonly traceHash: string;
  readonly honestHeights: readonly number[];
  readonly byzantine: Readonly<Record<string, ByzantineProfile>>;
  readonly ticks: number;
  /** Ticks from GST until every honest replica committed above the pre-GST maximum. */
  readonly recoveryTicks: number | undefined;
  /** Messages honest replicas dropped, by reason, summed over them. */
  readonly honestDrops: Readonly<Partial<Record<PbftDropReason, number>>>;
  /** Synced blocks honest replicas refused (forged by Byzantine sources). */
  readonly syncRejections: number;
}

interface SimNode {
  readonly id: string;
  replica: PbftReplica;
  readonly chain: SimChain;
  readonly store: Map<number, CommittedBlock>;
  persisted: Uint8Array | undefined;
  syncTarget: number;
}

/** Runs one seeded simulation to completion (or to its first violation). */
export function runPbftSimulation(options: PbftSimOptions): PbftSimResult {
  const { seed, validatorCount: n } = options;
  const ids = Array.from({ length: n }, (_, i) => `v${i}`);
  const scenario = new SeededRandom(seed);
  const byzantineIds = new Set(shuffle(ids, scenario).slice(0, options.byzantineCount));
  const honestIds = ids.filter((id) => !byzantineIds.has(id));
  const profiles = new Map([...byzantineIds].map((id) => [id, options.profile ?? BYZANTINE_PROFILES[scenario.nextInt(BYZANTINE_PROFILES.length)]]));
  const keyring = new SimKeyring(seed, ids);
  const authenticators = new Map(ids.map((id) => [id, keyring.authenticatorFor(id)]));
  const net = new SimNetwork<Uint8Array>(ids, new SeededRandom(seed ^ 0x5eed), {
    minDelayTicks: 1,
    maxDelayTicks: 2 + scenario.nextInt(5),
    dropProbability: scenario.nextFloat() * 0.15,
    duplicateProbability: scenario.nextFloat() * 0.05,
  });
  const coalition = new ByzantineCoalition(CHAIN_ID, ids, honestIds, profiles, authenticators, new SeededRandom(seed ^ 0xbad));
  const quorum = options.quorumOverride ?? quorumSize(n);
  const checker = new SafetyChecker({ chainId: CHAIN_ID, validators: ids, quorum, authenticator: { verify: (id, b, s) => keyring.verify(id, b, s) } });
  const trace = new TraceHash();
  const payloads = new SeededRandom(seed ^ 0x9a7);

  const makeReplica = (id: string, chain: SimChain, restored?: PbftPersistentState): PbftReplica =>
    new PbftReplica(
      {
        chainId: CHAIN_ID,
        selfId: id,
        validators: ids,
        authenticator: authenticators.get(id)!,
        validateProposal: (height, block, context) => chain.validate(height, block, context),
        blockDigest: simBlockDigest,
        checkpointIntervalHeights: 4,
        viewChangeTimeoutTicks: 24,
        maxTimeoutDoublings: 3,
        // A narrow buffer of future views makes replicas that fell behind rely on the far-view join rule.
        maxFutureViews: 2,
        ...(options.quorumOverride === undefined ? {} : { quorumOverride: options.quorumOverride }),
      },
      restored,
    );
  const nodes = new Map<string, SimNode>(
    ids.map((id) => {
      const chain = new SimChain();
      return [id, { id, chain, replica: makeReplica(id, chain), store: new Map(), persisted: undefined, syncTarget: 0 }];
    }),
  );

  const send = (from: string, message: PbftMessage): void => {
    const packets: Packet[] = coalition.has(from)
      ? coalition.rewrite(from, message)
      : broadcastPackets(ids, from, encodePbftMessage(message));
    for (const packet of packets) net.send(from, packet.to, packet.bytes);
  };

  const sync = (node: SimNode): boolean => {
    const height = node.chain.height + 1;
    const sources = ids.filter((id) => id !== node.id && net.isUp(id) && !net.isLinkBlocked(id, node.id) && nodes.get(id)!.store.has(height));
    if (sources.length === 0) return false;
    const sourceId = sources[payloads.nextInt(sources.length)];
    const genuine = nodes.get(sourceId)!.store.get(height)!;
    const served = coalition.has(sourceId) ? coalition.serveSyncedBlock(sourceId, genuine) : genuine;
    const result = node.replica.deliverSyncedBlock(served);
    trace.add(`sync ${node.id} ${height} from ${sourceId} ${result.ok ? 'ok' : result.code}`);
    if (!result.ok) syncRejections++;
    return result.ok;
  };

  const drive = (node: SimNode): void => {
    for (let round = 0; round < 64; round++) {
      const replica = node.replica;
      if (replica.readyToPropose()) replica.propose(node.chain.buildNext(replica.view, node.id, payloads.nextInt(1 << 30)));
      if (!replica.hasReady()) {
        if (node.syncTarget > node.chain.height && sync(node)) continue;
        return;
      }
      const rd = replica.ready();
      // Persist through the storage codec, so restarts exercise what a real driver would store.
      if (rd.persist !== undefined) node.persisted = encodePbftPersistentState(rd.persist);
      for (const message of rd.messages) send(node.id, message);
      for (const block of rd.committed) {
        if (!coalition.has(node.id)) checker.onCommit(node.id, block, net.nowTick);
        node.chain.apply(block.height, block.digest, block.block);
        node.store.set(block.height, block);
        trace.add(`commit ${node.id} ${block.height} ${block.view}`);
      }
      if (rd.needSyncHeight !== undefined) node.syncTarget = Math.max(node.syncTarget, rd.needSyncHeight);
      replica.advance(rd);
    }
  };

  let syncRejections = 0;
  const crashed = new Map<string, number>();
  let heightAtGst = 0;
  const endTick = options.gstTick + options.livenessBoundTicks;
  let violation: string | undefined;
  let recoveredAtTick: number | undefined;
  for (let tick = 1; tick <= endTick && violation === undefined; tick++) {
    if (tick < options.gstTick) disturb(tick);
    if (tick === options.gstTick) stabilise();
    for (const envelope of net.tick()) {
      const node = nodes.get(envelope.to)!;
      if (coalition.has(node.id)) coalition.observe(envelope.message);
      node.replica.stepBytes(envelope.message);
      drive(node);
    }
    for (const node of nodes.values()) {
      if (!net.isUp(node.id)) continue;
      node.replica.tick();
      if (coalition.has(node.id)) {
        for (const packet of coalition.inject(node.id, node.replica.view, node.replica.nextHeight())) net.send(node.id, packet.to, packet.bytes);
      }
      drive(node);
    }
    violation = checker.violation;
    if (tick > options.gstTick && recoveredAtTick === undefined && honestIds.every((id) => nodes.get(id)!.chain.height > heightAtGst)) {
      recoveredAtTick = tick;
      break;
    }
  }
  const honestHeights = honestIds.map((id) => nodes.get(id)!.chain.height);
  if (violation === undefined) {
    const stuck = honestIds.filter((id) => nodes.get(id)!.chain.height <= heightAtGst);
    if (stuck.length > 0) {
      const describe = stuck.map((id) => {
        const r = nodes.get(id)!.replica;
        return `${id}@${r.lastCommittedHeight} view ${r.view}${r.isViewChanging() ? ' (changing)' : ''}`;
      });
      violation = `liveness: ${describe.join(', ')} did not commit above height ${heightAtGst} within ${options.livenessBoundTicks} ticks after GST`;
    }
  }
  const honestDrops: Partial<Record<PbftDropReason, number>> = {};
  for (const id of ids) {
    const counters = nodes.get(id)!.replica.dropCounters();
    trace.add(`drops ${id} ${JSON.stringify(counters)}`);
    if (coalition.has(id)) continue;
    for (const [reason, count] of Object.entries(counters) as [PbftDropReason, number][]) honestDrops[reason] = (honestDrops[reason] ?? 0) + count;
  }
  return {
    seed,
    violation,
    traceHash: trace.digest(),
    honestHeights,
    byzantine: Object.fromEntries(profiles),
    ticks: net.nowTick,
    recoveryTicks: recoveredAtTick === undefined ? undefined : recoveredAtTick - options.gstTick,
    honestDrops,
    syncRejections,
  };

  /** Pre-GST asynchrony: partitions of honest replicas, crashes and restarts from persisted state. */
  function disturb(tick: number): void {
    if (tick % 40 === 0) {
      if (scenario.nextFloat() < 0.35) {
        const cut = shuffle(honestIds, scenario).slice(0, 1 + scenario.nextInt(Math.max(1, honestIds.length - 1)));
        net.partition([cut]);
        trace.add(`partition ${cut.join(',')}`);
      } else {
        net.heal();
      }
    }
    if (options.crashes !== false && tick % 25 === 0 && crashed.size === 0 && scenario.nextFloat() < 0.3) {
      const victim = honestIds[scenario.nextInt(honestIds.length)];
      net.crash(victim);
      crashed.set(victim, tick + 10 + scenario.nextInt(40));
      trace.add(`crash ${victim}`);
    }
    for (const [id, restartAt] of crashed) if (tick >= restartAt) restart(id);
  }

  function restart(id: string): void {
    const node = nodes.get(id)!;
    crashed.delete(id);
    net.restart(id);
    let restored: PbftPersistentState | undefined;
    if (node.persisted !== undefined) {
      const decoded = decodePbftPersistentState(node.persisted);
      if (!decoded.ok) throw decoded.error;
      restored = decoded.state;
    }
    node.replica = makeReplica(id, node.chain, restored);
    node.syncTarget = 0;
    trace.add(`restart ${id} ${restored?.lastCommittedHeight ?? 0}`);
    drive(node);
  }

  function stabilise(): void {
    for (const id of [...crashed.keys()]) restart(id);
    net.heal();
    net.setOptions({ minDelayTicks: 1, maxDelayTicks: 3, dropProbability: 0, duplicateProbability: 0 });
    heightAtGst = Math.max(...honestIds.map((id) => nodes.get(id)!.chain.height));
    trace.add(`gst ${heightAtGst}`);
  }
}

function broadcastPackets(ids: readonly string[], from: string, bytes: Uint8Array): Packet[] {
  return ids.filter((id) => id !== from).map((to) => ({ to, bytes }));
}

/** A Fisher–Yates shuffled copy. */
function shuffle<T>(items: readonly T[], random: SeededRandom): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
