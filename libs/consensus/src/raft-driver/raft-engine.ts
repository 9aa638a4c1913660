import { blockHash, bytesEqual, decodeBlock, encodeBlock, nodeSetOf, sameIds, toHex, type Block, type BuiltBlock, type ExecutedBlock } from '#chain';
import type { AdmittedEvent, ConsensusEngine, ConsensusRole, ConsensusStatus } from '../engine/engine.js';
import type { BlockPipeline } from '../engine/block-pipeline.js';
import { encodeLeaderSignature, signBlockAsLeader, verifyLeaderCertificate, type ValidatorsProvider } from '../sync/leader-signature.js';
import type { SyncManager } from '../sync/sync-manager.js';
import { UncommittedTxs } from '../engine/uncommitted-txs.js';
import { ConsensusMessageType, type ConsensusTransport } from '../engine/transport.js';
import { decodeRaftMessage, encodeRaftMessage, RaftNode, type RaftEntry, type RaftReady } from '../raft/index.js';
import type { RandomSource } from '../random.js';
import { decodeRaftPosition, encodeRaftPosition } from './consensus-data.js';
import type { SqlRaftStorage } from './sql-raft-storage.js';
import { decodeRaftBlockEntry, encodeRaftBlockEntry } from './block-entry.js';
import { subscribeForwardedTxs, TxForwarder } from '../engine/tx-forwarder.js';

/** Logging the driver does. */
export interface EngineLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Configuration of the Raft driver. */
export interface RaftEngineOptions {
  nodeId: string;
  chainId: string;
  /** This node's consensus secret key: the leader signs every block it proposes with it. */
  consensusKey: Uint8Array;
  /** Validators whose leader signatures count (and who may serve blocks to sync from). */
  validatorsAt: ValidatorsProvider;
  /** The node's block sync: the snapshot path catches up through it; applies share its commit lock. */
  sync: SyncManager;
  /** Voters at the ledger head (the chain's node set; changes as blocks commit). */
  voters: readonly string[];
  /** Learners at the ledger head: they receive the log but do not vote. */
  learners?: readonly string[];
  /** Length of one Raft tick. */
  tickMs: number;
  electionTicks: number;
  heartbeatTicks: number;
  blockIntervalMs: number;
  maxTxsPerBlock: number;
  random: RandomSource;
  logger: EngineLogger;
  /** Applied log entries kept before compaction (followers further behind sync blocks instead). */
  retainedEntries?: number;
  /** Admits transactions forwarded by followers (verifies and pools them). */
  admitForwarded: (txs: Uint8Array[]) => Promise<void>;
}

/** Observations for metrics. */
export interface RaftEngineHooks {
  onElection?: (term: number) => void;
  onProposalCommitted?: (latencyMs: number) => void;
}

interface InFlightProposal {
  index: number;
  built: BuiltBlock;
  hashHex: string;
  parentHashHex: string;
  proposedAtMs: number;
}

/**
 * Drives a RaftNode where blocks are the log: the leader builds a block from the pool every
 * `blockIntervalMs` (or when `maxTxsPerBlock` are ready) and proposes it; every validator applies
 * committed entries through the same ledger commit. Ready handling follows etcd: persist, then
 * send, then apply. Committed entries apply deterministically on every node: a block that does
 * not extend the head, was proposed for another log position or fails validation is skipped by
 * all of them alike.
 */
export class RaftEngine implements ConsensusEngine {
  readonly type = 'raft' as const;
  private readonly node: RaftNode;
  private readonly forwarder: TxForwarder;
  private readonly sync: SyncManager;
  private readonly uncommitted: UncommittedTxs;
  private readonly unsubscribe: Array<() => void> = [];
  private tickTimer?: NodeJS.Timeout;
  private proposeTimer?: NodeJS.Timeout;
  private processing: Promise<void> = Promise.resolve();
  private processScheduled = false;
  private inFlight?: InFlightProposal;
  private proposing = false;
  private syncing = false;
  private running = false;
  private lastLeader: string | undefined;
  private lastTerm = 0;

  constructor(
    private readonly pipeline: BlockPipeline,
    private readonly storage: SqlRaftStorage,
    private readonly transport: ConsensusTransport,
    private readonly options: RaftEngineOptions,
    private readonly hooks: RaftEngineHooks = {},
  ) {
    const head = pipeline.ledger.headHeader;
    const appliedIndex = Math.min(decodeRaftPosition(head.consensusData)?.index ?? 0, storage.lastIndex());
    this.node = new RaftNode({
      id: options.nodeId,
      peers: options.voters,
      learners: options.learners,
      storage,
      random: options.random,
      appliedIndex: Math.max(appliedIndex, storage.snapshot().index),
      config: { electionTicks: options.electionTicks, heartbeatTicks: options.heartbeatTicks, preVote: true, checkQuorum: true },
    });
    this.forwarder = new TxForwarder(transport, () => this.node.leaderId);
    this.uncommitted = new UncommittedTxs(pipeline);
    this.sync = options.sync;
  }

  async start(): Promise<void> {
    this.running = true;
    this.unsubscribe.push(this.transport.subscribe(ConsensusMessageType.RAFT, (from, payload) => this.onRaftMessage(from, payload)));
    this.unsubscribe.push(this.pipeline.onCommitted(() => this.applyCommittedMembership()));
    this.unsubscribe.push(
      subscribeForwardedTxs(this.transport, this.options.admitForwarded, (error) => this.options.logger.error(`forwarded transactions failed: ${String(error)}`)),
    );
    this.tickTimer = setInterval(() => {
      this.node.tick();
      this.scheduleProcess();
    }, this.options.tickMs);
    this.proposeTimer = setInterval(() => void this.maybePropose(), this.options.blockIntervalMs);
    // A single-voter cluster elects itself at once instead of waiting a timeout.
    if (this.options.voters.length === 1 && this.options.voters[0] === this.options.nodeId) this.node.campaign();
    this.scheduleProcess();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.tickTimer);
    clearInterval(this.proposeTimer);
    for (const off of this.unsubscribe) off();
    await this.processing;
  }

  status(): ConsensusStatus {
    const roles: Record<string, ConsensusRole> = { leader: 'leader', follower: 'follower', candidate: 'candidate', preCandidate: 'candidate' };
    const { voters, learners } = this.node.membership();
    const role: ConsensusRole = voters.includes(this.options.nodeId) ? (roles[this.node.role] ?? 'follower') : learners.includes(this.options.nodeId) ? 'learner' : 'observer';
    return {
      type: 'raft',
      role,
      leaderId: this.node.leaderId,
      epoch: String(this.node.term),
      commitHeight: this.pipeline.ledger.height.toString(),
    };
  }

  /** Whether this node currently leads. */
  isLeader(): boolean {
    return this.node.role === 'leader';
  }

  notifyTransactionsAdmitted(event: AdmittedEvent): void {
    this.uncommitted.track(event.txs);
    if (this.node.role === 'leader') {
      if (event.readyCount >= this.options.maxTxsPerBlock) void this.maybePropose();
      return;
    }
    // Transactions forwarded here are passed on too: a follower that learnt of a new leader late
    // may have sent them here. Loop-free: a node admits (and so notifies) each transaction once.
    this.forwarder.forward(event.txs);
  }

  private onRaftMessage(from: string, payload: Buffer): void {
    let message;
    try {
      message = decodeRaftMessage(payload);
    } catch (error) {
      this.options.logger.warn(`undecodable raft message from ${from}: ${String(error)}`);
      return;
    }
    // The link authenticated `from`; a message claiming another sender is dropped.
    if (message.from !== from || message.to !== this.options.nodeId) return;
    this.node.step(message);
    this.scheduleProcess();
  }

  private scheduleProcess(): void {
    if (this.processScheduled || !this.running) return;
    this.processScheduled = true;
    this.processing = this.processing.then(async () => {
      this.processScheduled = false;
      try {
        while (this.running && this.node.hasReady()) await this.handleReady(this.node.ready());
      } catch (error) {
        this.options.logger.error(`raft ready handling failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    });
  }

  private async handleReady(rd: RaftReady): Promise<void> {
    // 1. persist, 2. send, 3. apply, 4. sync, 5. advance.
    await this.storage.persist(rd);
    for (const message of rd.messages) this.transport.send(message.to, ConsensusMessageType.RAFT, encodeRaftMessage(message));
    if (rd.softState) this.onSoftState();
    for (const entry of rd.committedEntries) await this.apply(entry);
    if (rd.syncRequest) await this.syncTo(rd.syncRequest.leaderId, rd.syncRequest.index, rd.syncRequest.term);
    this.node.advance(rd);
    await this.maybeCompact();
  }

  private onSoftState(): void {
    const leader = this.node.leaderId;
    // A proposal from an earlier leadership may never commit; do not wait on it.
    if (this.node.role !== 'leader') this.inFlight = undefined;
    if (this.node.term !== this.lastTerm && this.node.role === 'leader') this.hooks.onElection?.(this.node.term);
    this.lastTerm = this.node.term;
    if (leader === this.lastLeader) return;
    this.lastLeader = leader;
    this.options.logger.info(`raft leader is now ${leader ?? 'unknown'} (term ${this.node.term})`);
    // A new leader must hold every pending transaction: followers hand theirs over.
    if (leader && leader !== this.options.nodeId) this.forwarder.forward(this.uncommitted.all());
  }

  private async apply(entry: RaftEntry): Promise<void> {
    try {
      // Block sync may be committing too: one of the two commits each height, the other skips it.
      await this.sync.commitLock.run(() => this.applyEntry(entry));
    } finally {
      // Whatever happened to the entry at our proposal's index (committed, or replaced by another
      // leader's entry and skipped), that proposal is settled: the next one may go.
      if (this.inFlight && entry.index >= this.inFlight.index) this.inFlight = undefined;
    }
  }

  private async applyEntry(entry: RaftEntry): Promise<void> {
    if (entry.data.length === 0) return;
    const ledger = this.pipeline.ledger;
    let block: Block;
    const { block: blockBytes, leaderSignature } = decodeRaftBlockEntry(entry.data);
    try {
      block = decodeBlock(blockBytes, ledger.txLimits);
    } catch (error) {
      this.options.logger.warn(`committed entry ${entry.index} is not a block: ${String(error)}`);
      return;
    }
    const position = decodeRaftPosition(block.header.consensusData);
    if (block.header.height <= ledger.height) return; // applied already (restart or sync)
    if (!position || position.index !== entry.index || position.term !== entry.term) return; // proposed for another log slot
    if (block.header.height !== ledger.height + 1n || toHex(block.header.prevHash) !== ledger.headHash) return; // built on a stale head
    // Entries written before leader signatures carry none; a signature that is there must hold.
    if (leaderSignature) {
      const verdict = verifyLeaderCertificate(this.options.chainId, block.header, leaderSignature, this.options.validatorsAt());
      if (!verdict.ok) {
        this.options.logger.warn(`committed block ${block.header.height} at entry ${entry.index} has a bad leader signature (${verdict.code}), skipped by every validator`);
        return;
      }
    }
    const own = this.inFlight;
    let executed: ExecutedBlock;
    try {
      executed = own && own.index === entry.index && own.parentHashHex === ledger.headHash && bytesEqual(blockHash(block.header), blockHash(own.built.block.header)) ? own.built : this.pipeline.validate(block);
    } catch (error) {
      this.options.logger.warn(`committed block ${block.header.height} at entry ${entry.index} is invalid, skipped by every validator: ${String(error)}`);
      return;
    }
    await this.pipeline.commit(block, executed, { certificate: leaderSignature });
    if (own && own.index === entry.index) this.hooks.onProposalCommitted?.(Date.now() - own.proposedAtMs);
  }

  /**
   * A committed block (through Raft or block sync) may have changed the node set: Raft's
   * configuration follows the chain's, in block order on every node (one change per block keeps
   * old and new majorities overlapping).
   */
  private applyCommittedMembership(): void {
    const set = nodeSetOf(this.pipeline.ledger.state);
    const current = this.node.membership();
    if (sameIds(set.voters, [...current.voters].sort()) && sameIds(set.learners, [...current.learners].sort())) return;
    this.node.applyMembership(set.voters, set.learners);
    this.options.logger.info(`raft membership: voters ${set.voters.join(', ')}; learners ${set.learners.join(', ') || 'none'}`);
  }

  /** The leader sent a snapshot: fetch its blocks (from every peer that has them), then restore Raft there. */
  private async syncTo(peerId: string, index: number, term: number): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    try {
      const outcome = await this.sync.catchUp({ peerHint: peerId });
      const leaderHead = this.sync.peerHead(peerId);
      if (leaderHead === undefined || outcome.height < leaderHead) {
        this.options.logger.warn(`sync to ${peerId}'s head ${leaderHead ?? 'unknown'} stopped at ${outcome.height}; the snapshot will be offered again`);
        return;
      }
      const count = outcome.committed;
      this.options.logger.info(`synced ${count} blocks; raft restored at entry ${index}`);
      this.node.restoreFrom(index, term);
    } catch (error) {
      this.options.logger.warn(`sync for the snapshot of ${peerId} failed: ${String(error)}`);
    } finally {
      this.syncing = false;
    }
  }

  private async maybeCompact(): Promise<void> {
    const retained = this.options.retainedEntries ?? 2000;
    const target = this.node.appliedIndex - retained;
    if (target > this.storage.snapshot().index + retained) await this.storage.compactDurably(target);
  }

  private async maybePropose(): Promise<void> {
    if (!this.running || this.proposing || this.node.role !== 'leader') return;
    // One block at a time, always on top of everything in the log: then every proposal extends
    // the head it was built on when it commits.
    if (this.inFlight || this.node.appliedIndex !== this.node.lastIndex || !this.pipeline.hasPending()) return;
    this.proposing = true;
    try {
      const index = this.node.lastIndex + 1;
      const term = this.node.term;
      const built = await this.pipeline.propose(encodeRaftPosition({ term, index }));
      if (!built || this.node.role !== 'leader' || this.node.term !== term || this.node.lastIndex + 1 !== index) return;
      const signature = signBlockAsLeader(this.options.chainId, built.block.header, this.options.nodeId, this.options.consensusKey);
      const result = this.node.propose(encodeRaftBlockEntry({ block: encodeBlock(built.block), leaderSignature: encodeLeaderSignature(signature) }));
      if (!result.accepted || result.index !== index) return;
      this.inFlight = { index, built, hashHex: toHex(blockHash(built.block.header)), parentHashHex: this.pipeline.ledger.headHash, proposedAtMs: Date.now() };
      this.scheduleProcess();
    } catch (error) {
      this.options.logger.error(`proposal failed: ${String(error)}`);
    } finally {
      this.proposing = false;
    }
  }
}
