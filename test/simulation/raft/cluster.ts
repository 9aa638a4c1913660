import {
  decodeRaftMessage,
  encodeRaftMessage,
  MemoryRaftStorage,
  RaftNode,
  SeededRandom,
  type RaftConfig,
  type RaftEntry,
  type RaftNodeOptions,
  type RaftReady,
} from '#consensus';
import type { SimNetwork } from '../net.js';
import type { TraceHash } from '../trace.js';
import { RaftChecker, SimulationViolation } from './checker.js';

/** Everything a node keeps across crashes: its Raft storage and its application ledger. */
interface Disk {
  readonly storage: MemoryRaftStorage;
  /** The application's ledger: `ledger[i - 1]` is the entry applied at index i. */
  readonly ledger: RaftEntry[];
}

/** An out-of-band block sync in progress. */
interface PendingSync {
  readonly index: number;
  readonly term: number;
  readonly dueTick: number;
  readonly incarnation: number;
}

/** One simulated validator. `node` is undefined while crashed. */
interface SimMember {
  readonly id: string;
  readonly disk: Disk;
  node: RaftNode | undefined;
  incarnation: number;
  /** Commit index already reported to the checker by this incarnation. */
  reportedCommit: number;
  sync: PendingSync | undefined;
  /** Crash right after the next input, before its Ready is persisted. */
  crashBeforePersist: boolean;
}

/** How the harness builds and drives nodes; the knobs a mutation test bends. */
export interface ClusterOptions {
  readonly ids: readonly string[];
  readonly raft: Partial<RaftConfig>;
  /** Compact once this many applied entries sit in the log... */
  readonly compactThreshold: number;
  /** ...keeping this many applied entries behind. */
  readonly compactKeep: number;
  /** Builds a node; a test may substitute a deliberately broken one. */
  readonly createNode?: (options: RaftNodeOptions) => RaftNode;
  /** A deliberately broken driver that forgets the persisted vote on restart. */
  readonly loseVoteOnRestart?: boolean;
}

/**
 * A Raft cluster driven like a real driver would drive `RaftNode`: for every input, the Ready
 * is persisted first, then its messages sent (encoded through the wire codec), then its
 * committed entries applied to a per-node ledger. The checker sees every observation.
 */
export class RaftCluster {
  readonly members: SimMember[];
  readonly checker = new RaftChecker();
  private tickNow = 0;

  constructor(
    private readonly options: ClusterOptions,
    private readonly net: SimNetwork<Uint8Array>,
    private readonly random: SeededRandom,
    private readonly trace: TraceHash,
  ) {
    this.members = options.ids.map((id) => ({
      id,
      disk: { storage: new MemoryRaftStorage(), ledger: [] },
      node: undefined,
      incarnation: 0,
      reportedCommit: 0,
      sync: undefined,
      crashBeforePersist: false,
    }));
    for (const member of this.members) this.boot(member);
  }

  /** Live nodes, in id order. */
  liveNodes(): RaftNode[] {
    return this.members.flatMap((member) => (member.node === undefined ? [] : [member.node]));
  }

  /** The member with this id. */
  member(id: string): SimMember {
    const member = this.members.find((m) => m.id === id);
    if (member === undefined) throw new Error(`unknown node ${id}`);
    return member;
  }

  /** Ids of crashed nodes. */
  downIds(): Set<string> {
    return new Set(this.members.filter((m) => m.node === undefined).map((m) => m.id));
  }

  /** One tick: every live node ticks, due syncs complete, due messages are delivered. */
  tick(): void {
    this.tickNow = this.net.nowTick + 1;
    for (const member of this.members) {
      if (member.node === undefined) continue;
      member.node.tick();
      this.afterInput(member);
    }
    for (const member of this.members) this.maybeCompleteSync(member);
    for (const envelope of this.net.tick()) {
      const member = this.member(envelope.to);
      if (member.node === undefined) continue;
      const message = decodeRaftMessage(envelope.message);
      this.trace.add(`${this.tickNow} ${envelope.from}>${envelope.to} ${message.type} t${message.term}`);
      member.node.step(message);
      this.afterInput(member);
    }
  }

  /** Proposes `data` at `id`, forwarding to the leader it names (as a driver would). */
  propose(id: string, data: Uint8Array): boolean {
    const member = this.member(id);
    if (member.node === undefined) return false;
    const result = member.node.propose(data);
    this.afterInput(member);
    if (result.accepted) return true;
    if (result.leaderId === undefined || result.leaderId === id) return false;
    const leader = this.member(result.leaderId);
    if (leader.node === undefined || this.net.isLinkBlocked(id, leader.id)) return false;
    const forwarded = leader.node.propose(data);
    this.afterInput(leader);
    return forwarded.accepted;
  }

  /** Makes a node campaign now (scripted scenarios use this instead of waiting for timeouts). */
  campaign(id: string): void {
    const member = this.member(id);
    member.node?.campaign();
    this.afterInput(member);
  }

  /** Crashes a node now, or (`beforePersist`) right after its next input, losing that input's Ready. */
  crash(id: string, beforePersist: boolean): void {
    const member = this.member(id);
    if (member.node === undefined) return;
    if (beforePersist) member.crashBeforePersist = true;
    else this.crashNow(member);
  }

  /** Restarts a crashed node from its disk. */
  restart(id: string): void {
    const member = this.member(id);
    if (member.node !== undefined) return;
    if (this.options.loseVoteOnRestart) {
      member.disk.storage.setHardState({ ...member.disk.storage.initialState(), vote: '' });
    }
    this.boot(member);
    this.net.restart(id);
    this.trace.add(`${this.tickNow} restart ${id}`);
  }

  /** Checks Log Matching across every pair of live nodes. */
  checkLogMatching(): void {
    const nodes = this.liveNodes();
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) this.checker.checkLogMatching(nodes[i], nodes[j]);
    }
  }

  private boot(member: SimMember): void {
    const options: RaftNodeOptions = {
      id: member.id,
      peers: this.options.ids,
      storage: member.disk.storage,
      random: new SeededRandom(this.random.nextUint32()),
      config: this.options.raft,
      appliedIndex: member.disk.ledger.length,
    };
    member.node = this.options.createNode?.(options) ?? new RaftNode(options);
    member.incarnation++;
    member.reportedCommit = member.node.commitIndex;
    member.sync = undefined;
    member.crashBeforePersist = false;
  }

  private crashNow(member: SimMember): void {
    member.node = undefined;
    member.sync = undefined;
    member.crashBeforePersist = false;
    this.net.crash(member.id);
    this.trace.add(`${this.tickNow} crash ${member.id}`);
  }

  private afterInput(member: SimMember): void {
    if (member.crashBeforePersist) {
      this.crashNow(member);
      return;
    }
    const node = member.node;
    if (node === undefined) return;
    while (node.hasReady()) this.handleReady(member, node, node.ready());
  }

  private handleReady(member: SimMember, node: RaftNode, rd: RaftReady): void {
    const { storage, ledger } = member.disk;
    // 1. Persist. Nothing below may happen before this: messages promise what is persisted.
    if (rd.snapshot !== undefined) {
      storage.applySnapshot(rd.snapshot);
      member.reportedCommit = Math.max(member.reportedCommit, rd.snapshot.index);
    }
    storage.append(rd.entries);
    if (rd.hardState !== undefined) {
      const persisted = storage.initialState();
      if (rd.hardState.term < persisted.term || rd.hardState.commit < persisted.commit) {
        throw new SimulationViolation('hard-state-regression', `${member.id} would persist ${JSON.stringify(rd.hardState)} over ${JSON.stringify(persisted)}`);
      }
      if (rd.hardState.term === persisted.term && persisted.vote !== '' && rd.hardState.vote !== persisted.vote) {
        throw new SimulationViolation('vote-changed', `${member.id} changed its vote in term ${persisted.term} from ${persisted.vote} to ${rd.hardState.vote}`);
      }
      storage.setHardState(rd.hardState);
      if (rd.hardState.commit > member.reportedCommit) {
        this.checker.observeCommitted(member.id, node.term, node.entries(member.reportedCommit + 1, rd.hardState.commit + 1));
        this.trace.add(`${this.tickNow} ${member.id} commit ${rd.hardState.commit}`);
        member.reportedCommit = rd.hardState.commit;
      }
    }
    // 2. Send.
    for (const message of rd.messages) this.net.send(member.id, message.to, encodeRaftMessage(message));
    // 3. Apply.
    for (const entry of rd.committedEntries) {
      ledger.push(entry);
      this.checker.observeApplied(member.id, ledger.length, entry);
    }
    // 4. Start a block sync the leader asked for; it completes a few ticks later.
    if (rd.syncRequest !== undefined) {
      const dueTick = this.tickNow + 1 + this.random.nextInt(5);
      member.sync = { index: rd.syncRequest.index, term: rd.syncRequest.term, dueTick, incarnation: member.incarnation };
    }
    node.advance(rd);
    if (rd.softState !== undefined) this.trace.add(`${this.tickNow} ${member.id} ${rd.softState.role} t${node.term}`);
    if (node.role === 'leader' && this.checker.observeLeader(member.id, node.term)) this.checker.checkLeaderCompleteness(node);
    const compactable = node.appliedIndex - (node.firstIndex - 1);
    if (compactable >= this.options.compactThreshold) node.compact(node.appliedIndex - this.options.compactKeep);
  }

  /** Fetches committed blocks from the cluster (the oracle holds exactly those) and restores. */
  private maybeCompleteSync(member: SimMember): void {
    const sync = member.sync;
    const node = member.node;
    if (sync === undefined || node === undefined || sync.dueTick > this.tickNow || sync.incarnation !== member.incarnation) return;
    member.sync = undefined;
    if (sync.index <= node.commitIndex) return;
    const target = this.checker.committedAt(sync.index);
    if (target === undefined || target.term !== sync.term) {
      throw new SimulationViolation('sync-target', `${member.id} was told to sync to ${sync.index}/${sync.term}, which is not committed`);
    }
    const { ledger } = member.disk;
    for (let index = ledger.length + 1; index <= sync.index; index++) {
      const entry = this.checker.committedAt(index);
      if (entry === undefined) throw new SimulationViolation('sync-target', `block ${index} is missing from the cluster`);
      ledger.push(entry);
      this.checker.observeApplied(member.id, ledger.length, entry);
    }
    node.restoreFrom(sync.index, sync.term);
    this.trace.add(`${this.tickNow} ${member.id} restored ${sync.index}`);
    this.afterInput(member);
  }
}
