import { blockHash, decodeBlock, encodeBlock, nodeSetOf, toHex, type Block, type ExecutedBlock } from '#chain';
import { AccordError } from '#common';
import type { AdmittedEvent, ConsensusEngine, ConsensusStatus } from '../engine/engine.js';
import type { BlockPipeline } from '../engine/block-pipeline.js';
import { UncommittedTxs } from '../engine/uncommitted-txs.js';
import type { SyncManager } from '../sync/sync-manager.js';
import { ConsensusMessageType, type ConsensusTransport } from '../engine/transport.js';
import { decodePbftMessage, encodePbftMessage } from '../pbft/codec.js';
import { primaryOf } from '../pbft/quorum.js';
import { PbftReplica } from '../pbft/replica.js';
import type { CommittedBlock, PbftPersistentState, PbftReady } from '../pbft/replica-types.js';
import type { PbftMessage, ProposalContext, ProposalVerdict } from '../pbft/types.js';
import { epochOf, epochStartState, type PbftEpoch } from './epoch.js';
import { subscribeForwardedTxs, TxForwarder } from '../engine/tx-forwarder.js';
import { encodeCommitCertificate } from './commit-certificate-codec.js';
import { deliverSyncedBlock, replayLedgerInto } from './pbft-catch-up.js';
import { pbftStatus } from './pbft-status.js';
import { encodePbftView } from './consensus-data.js';
import { checkProposal, type ValidatedBlock } from './proposal-check.js';
import { equivocatingPrePrepares } from './equivocation.js';
import type { SqlPbftStorage } from './sql-pbft-storage.js';
import type { PbftEngineHooks, PbftEngineOptions } from './pbft-engine-options.js';

export type { PbftEngineHooks, PbftEngineOptions } from './pbft-engine-options.js';

// Messages held while the ledger catches up with the replica; beyond this the oldest are dropped
// (the core re-sends its votes, so a dropped message only costs time).
const MAX_HELD_MESSAGES = 2048;

/**
 * Drives a PbftReplica inside a validator: ticks on a timer, carries PBFT messages over the
 * validator network, and handles each Ready in the order the core requires: persist the replica
 * state, then send, then apply committed blocks through the shared ledger commit, with the
 * encoded commit certificate stored next to each block. A replica that fell behind fetches
 * blocks with their certificates from peers (each certificate is checked before the block is
 * committed) and hands them to the core. Every ledger write runs on one serial queue.
 */
export class PbftEngine implements ConsensusEngine {
  readonly type = 'pbft' as const;
  private replica: PbftReplica;
  /** The validator set in force and the height it took over. */
  private epoch: PbftEpoch;
  /** Set once a committed block removed this node from the voters: it stops taking part. */
  private retired = false;
  private readonly forwarder: TxForwarder;
  private readonly sync: SyncManager;
  private detachSync?: () => void;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly validated = new Map<string, ValidatedBlock>();
  private held: PbftMessage[] = [];
  /** Transactions admitted here and not yet committed or rejected, in admission order. */
  private readonly uncommitted: UncommittedTxs;
  private tickTimer?: NodeJS.Timeout;
  private proposeTimer?: NodeJS.Timeout;
  private queue: Promise<void> = Promise.resolve();
  private processScheduled = false;
  private applying = false;
  private syncing = false;
  private catchUpQueued = false;
  private proposing = false;
  private running = false;
  private ownProposal?: { bytes: Uint8Array; digest: Uint8Array; built: ValidatedBlock; proposedAtMs: number };
  private lastCommitAtMs = Date.now();
  private lastPrimary: string | undefined;
  private lastView = -1;

  constructor(
    private readonly pipeline: BlockPipeline,
    private readonly storage: SqlPbftStorage,
    restored: PbftPersistentState | undefined,
    private readonly transport: ConsensusTransport,
    private readonly options: PbftEngineOptions,
    private readonly hooks: PbftEngineHooks = {},
  ) {
    this.epoch = options.epoch ?? { height: 0, validators: options.validators };
    this.replica = this.createReplica(restored);
    this.forwarder = new TxForwarder(transport, () => this.primaryId());
    // Block sync (run by the node) commits only blocks whose commit certificate holds: a peer
    // cannot make this node commit a block the quorum did not.
    this.sync = options.sync;
    this.uncommitted = new UncommittedTxs(pipeline);
  }

  private createReplica(restored: PbftPersistentState | undefined): PbftReplica {
    return new PbftReplica(
      {
        chainId: this.options.chainId,
        selfId: this.options.nodeId,
        validators: this.epoch.validators,
        epochHeight: this.epoch.height,
        authenticator: this.options.authenticator,
        validateProposal: (height, block, context) => this.validateProposal(height, block, context),
        blockDigest: (block) => blockHash(decodeBlock(block, this.pipeline.ledger.txLimits).header),
        checkpointIntervalHeights: this.options.checkpointIntervalHeights,
        viewChangeTimeoutTicks: this.options.viewChangeTimeoutTicks,
        maxTimeoutDoublings: this.options.maxTimeoutDoublings,
      },
      restored,
    );
  }

  /**
   * After a commit: when the block changed the voters, switch to a new epoch at its height
   * (every correct replica does the same at the same height). A replica that is no longer a
   * voter retires; the node keeps following the chain by block sync.
   */
  private async maybeChangeEpoch(): Promise<void> {
    const ledger = this.pipeline.ledger;
    const epoch = epochOf(nodeSetOf(ledger.state));
    if (epoch.height === this.epoch.height) return;
    const { height, validators: voters } = epoch;
    this.epoch = epoch;
    if (!voters.includes(this.options.nodeId)) {
      this.retired = true;
      this.options.logger.info(`pbft: no longer a validator from height ${height}`);
      return;
    }
    const view = this.replica.view;
    // The block that changed the voters is the head right now (one block commits at a time).
    const state = epochStartState(view, height, blockHash(ledger.headHeader));
    await this.storage.save(state);
    this.replica = this.createReplica(state);
    this.validated.clear();
    this.ownProposal = undefined;
    this.lastPrimary = undefined;
    this.lastView = -1;
    this.options.logger.info(`pbft epoch at height ${height}: ${voters.length} validators (${voters.join(', ')}), view ${view}`);
  }

  async start(): Promise<void> {
    this.running = true;
    await this.enqueue(() => replayLedgerInto(this.replica, this.pipeline.ledger, this.options.logger));
    this.unsubscribe.push(this.transport.subscribe(ConsensusMessageType.PBFT, (from, payload) => this.onPbftMessage(from, payload)));
    this.unsubscribe.push(
      subscribeForwardedTxs(this.transport, this.options.admitForwarded, (error) => this.options.logger.error(`forwarded transactions failed: ${String(error)}`)),
    );
    this.tickTimer = setInterval(() => this.onTick(), this.options.tickMs);
    this.proposeTimer = setInterval(() => void this.maybePropose(), this.options.blockIntervalMs);
    this.scheduleProcess();
    this.detachSync = this.sync.attachEngine((block, certificate) => this.onSyncedBlock(block, certificate));
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.tickTimer);
    clearInterval(this.proposeTimer);
    for (const off of this.unsubscribe) off();
    this.detachSync?.();
    await this.queue;
  }

  status(): ConsensusStatus {
    return pbftStatus({
      view: this.replica.view,
      viewChanging: this.replica.isViewChanging(),
      validators: this.epoch.validators,
      nodeId: this.options.nodeId,
      retired: this.retired,
      commitHeight: this.pipeline.ledger.height,
    });
  }

  /** The primary of the current view. */
  primaryId(): string {
    return primaryOf(this.epoch.validators, this.replica.view);
  }

  /** Counters of PBFT messages the core dropped, by reason. */
  dropCounters(): Readonly<Record<string, number>> {
    return this.replica.dropCounters();
  }

  notifyTransactionsAdmitted(event: AdmittedEvent): void {
    this.uncommitted.track(event.txs);
    if (this.replica.isPrimary()) {
      if (event.readyCount >= this.options.maxTxsPerBlock) void this.maybePropose();
      return;
    }
    // Forwarded transactions are passed on too: a replica that lagged a view change may have
    // sent them here. Loop-free, since a node admits (and so notifies) each transaction once.
    this.forwarder.forward(event.txs);
  }

  // ---- inputs -------------------------------------------------------------------------------

  private onTick(): void {
    // Views time out on the core's clock; while a commit is being written that clock waits.
    if (this.applying || this.retired) return;
    this.replica.tick();
    if (!this.catchUpQueued && this.pipeline.ledger.height < BigInt(this.replica.lastCommittedHeight)) {
      // The replica committed blocks this ledger lacks (a crash between persisting and applying,
      // or a block that failed here): fetch them from peers.
      this.catchUpQueued = true;
      void this.enqueue(async () => {
        this.catchUpQueued = false;
        await this.syncTo(this.replica.lastCommittedHeight);
        this.releaseHeld();
        this.scheduleProcess();
      });
    }
    this.scheduleProcess();
  }

  private onPbftMessage(from: string, payload: Buffer): void {
    const decoded = decodePbftMessage(payload);
    if (!decoded.ok) {
      this.options.logger.warn(`undecodable pbft message from ${from}: ${decoded.error.message}`);
      return;
    }
    // The link authenticated `from`; only a validator's own messages travel directly.
    if (decoded.message.sender !== from || this.retired) return;
    this.route(decoded.message);
    this.scheduleProcess();
  }

  /**
   * Steps a message into the core, or holds it until the ledger has applied what the replica
   * committed: a proposal is validated against the ledger head, so it may only reach the core
   * once its parent is applied. Votes and view changes are held only while a commit is being
   * written, so a ledger stuck behind (waiting for block sync) cannot stop view changes.
   */
  private route(message: PbftMessage): void {
    const ledgerHeight = Number(this.pipeline.ledger.height);
    const carriesProposal = message.type === 'pre-prepare' || message.type === 'new-view';
    const behind = ledgerHeight < this.replica.lastCommittedHeight;
    if (this.applying || (carriesProposal && behind) || (message.type === 'pre-prepare' && message.height > ledgerHeight + 1)) {
      this.held.push(message);
      if (this.held.length > MAX_HELD_MESSAGES) this.held.shift();
      return;
    }
    this.replica.step(message);
  }

  private releaseHeld(): void {
    const held = this.held;
    this.held = [];
    for (const message of held) this.route(message);
  }

  // ---- the core's callbacks -----------------------------------------------------------------

  private validateProposal(height: number, bytes: Uint8Array, context: ProposalContext): ProposalVerdict {
    const own = this.ownProposal;
    if (own && own.bytes === bytes) return { ok: true, digest: own.digest };
    const { verdict, validated } = checkProposal(this.pipeline, height, bytes, context);
    if (verdict.ok && validated) this.validated.set(toHex(verdict.digest), validated);
    return verdict;
  }

  // ---- Ready handling -----------------------------------------------------------------------

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task).catch((error: unknown) => {
      this.options.logger.error(`pbft driver failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    });
    return this.queue;
  }

  private scheduleProcess(): void {
    if (this.processScheduled || !this.running) return;
    this.processScheduled = true;
    void this.enqueue(async () => {
      this.processScheduled = false;
      while (this.running && this.replica.hasReady()) await this.handleReady(this.replica.ready());
    });
  }

  private async handleReady(rd: PbftReady): Promise<void> {
    // 1. persist, 2. send, 3. apply, 4. sync, 5. advance. An epoch change while applying
    // replaces the replica; the Ready is still acknowledged to the replica that produced it.
    const replica = this.replica;
    if (rd.persist) await this.storage.save(rd.persist);
    for (const message of rd.messages) this.send(message);
    if (rd.committed.length > 0) {
      this.applying = true;
      try {
        for (const committed of rd.committed) await this.apply(committed);
      } finally {
        this.applying = false;
      }
    }
    if (rd.needSyncHeight !== undefined) await this.syncTo(rd.needSyncHeight);
    replica.advance(rd);
    this.onViewMaybeChanged();
    this.releaseHeld();
  }

  private send(message: PbftMessage): void {
    if (this.options.testByzantine === 'equivocate' && message.type === 'pre-prepare' && message.sender === this.options.nodeId) {
      const peers = this.epoch.validators.filter((id) => id !== this.options.nodeId);
      const perPeer = equivocatingPrePrepares(this.options.chainId, message, peers, this.options.authenticator, this.pipeline.ledger.txLimits);
      for (const [peer, prePrepare] of perPeer) this.transport.send(peer, ConsensusMessageType.PBFT, encodePbftMessage(prePrepare));
      return;
    }
    this.transport.broadcast(ConsensusMessageType.PBFT, encodePbftMessage(message));
  }

  private async apply(committed: CommittedBlock): Promise<void> {
    // Block sync may be committing too: one of the two commits each height, the other skips it.
    await this.sync.commitLock.run(() => this.applyCommitted(committed));
  }

  private async applyCommitted(committed: CommittedBlock): Promise<void> {
    const ledger = this.pipeline.ledger;
    if (BigInt(committed.height) <= ledger.height) return; // committed already, through block sync
    if (BigInt(committed.height) !== ledger.height + 1n) return; // the tick fetches the gap from peers
    const digestHex = toHex(committed.digest);
    const cached = this.validated.get(digestHex);
    let block: Block;
    let executed: ExecutedBlock;
    try {
      block = cached?.block ?? decodeBlock(committed.block, ledger.txLimits);
      if (toHex(block.header.prevHash) !== ledger.headHash) throw new AccordError('PBFT_NOT_ON_HEAD', 'committed block does not extend the head');
      executed = cached?.executed ?? this.pipeline.validate(block);
    } catch (error) {
      // A quorum committed it, so the fault is local: block sync will bring the block again.
      this.options.logger.error(`committed block ${committed.height} does not apply here: ${String(error)}`);
      return;
    }
    await this.pipeline.commit(block, executed, { certificate: encodeCommitCertificate(committed.certificate) });
    this.lastCommitAtMs = Date.now();
    await this.maybeChangeEpoch();
    for (const [key, entry] of this.validated) if (entry.height <= committed.height) this.validated.delete(key);
    const own = this.ownProposal;
    if (own && own.built.height <= committed.height) {
      if (toHex(own.digest) === digestHex) this.hooks.onProposalCommitted?.(Date.now() - own.proposedAtMs);
      this.ownProposal = undefined;
    }
  }

  private onViewMaybeChanged(): void {
    const view = this.replica.view;
    if (view === this.lastView || this.replica.isViewChanging()) return;
    const primary = this.primaryId();
    if (this.lastView >= 0 && primary === this.options.nodeId) this.hooks.onViewChangeLed?.(view);
    this.lastView = view;
    if (primary === this.lastPrimary) return;
    this.lastPrimary = primary;
    this.options.logger.info(`pbft view ${view}: primary is ${primary}`);
    // The new primary must hold every pending transaction: replicas hand theirs over, those
    // behind a nonce gap too (the gap may be filled by what another replica hands over).
    if (primary !== this.options.nodeId) this.forwarder.forward(this.uncommitted.all());
  }

  // ---- block sync ---------------------------------------------------------------------------

  /** Fetches committed blocks up to `height` from peers (several at once). */
  private async syncTo(height: number): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    try {
      await this.sync.catchUp({ target: BigInt(height) });
    } catch (error) {
      this.options.logger.warn(`sync to ${height} failed: ${String(error)}`);
    } finally {
      this.syncing = false;
    }
  }

  /** After block sync committed a block (certificate checked): the core learns of it. */
  private async onSyncedBlock(block: Block, certificate: Uint8Array | undefined): Promise<void> {
    this.lastCommitAtMs = Date.now();
    deliverSyncedBlock(this.replica, block, certificate, this.options.logger);
    await this.maybeChangeEpoch();
  }

  // ---- proposing ----------------------------------------------------------------------------

  private async maybePropose(): Promise<void> {
    if (!this.running || this.retired || this.proposing || this.applying || !this.replica.readyToPropose()) return;
    const ledger = this.pipeline.ledger;
    if (ledger.height !== BigInt(this.replica.lastCommittedHeight)) return;
    const pending = this.pipeline.hasPending();
    const idle = Date.now() - this.lastCommitAtMs >= this.options.emptyBlockIntervalMs;
    if (!pending && !idle) return;
    this.proposing = true;
    try {
      const view = this.replica.view;
      const headHash = ledger.headHash;
      const built = await this.pipeline.propose(encodePbftView(view), { allowEmpty: idle });
      if (!built || !this.replica.readyToPropose() || this.replica.view !== view || ledger.headHash !== headHash) return;
      const bytes = encodeBlock(built.block);
      const digest = blockHash(built.block.header);
      const height = Number(built.block.header.height);
      this.ownProposal = { bytes, digest, built: { block: built.block, executed: built, height }, proposedAtMs: Date.now() };
      this.validated.set(toHex(digest), { block: built.block, executed: built, height });
      const result = this.replica.propose(bytes);
      if (!result.ok) this.options.logger.warn(`pbft refused our proposal: ${result.code}`);
      this.scheduleProcess();
    } catch (error) {
      this.options.logger.error(`proposal failed: ${String(error)}`);
    } finally {
      this.proposing = false;
    }
  }
}
