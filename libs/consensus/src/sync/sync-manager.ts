import { fromHex, type Block, type EntryChanges, type Transaction } from '#chain';
import type { BlockPipeline } from '../engine/block-pipeline.js';
import { decodeBlockResponse, decodeHeadAnnouncement, encodeHeadAnnouncement } from '../engine/block-sync-protocol.js';
import { ConsensusMessageType, type ConsensusTransport } from '../engine/transport.js';
import type { CommitProofCheck } from './block-checks.js';
import { BlockServer } from './block-server.js';
import { CommitLock } from './commit-lock.js';
import { LagDetector } from './lag-detector.js';
import { PeerBook } from './peer-book.js';
import { RateMeter } from './rate-meter.js';
import { SyncRun } from './sync-run.js';
import type { SyncEvent, SyncReporter, SyncStatus } from './sync-status.js';
import { DEFAULT_SYNC_TUNING, type SyncTuning } from './sync-tuning.js';

/** Where sync logs. */
export interface SyncLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** What a SyncManager is built with. */
export interface SyncManagerOptions {
  chainId: string;
  logger: SyncLogger;
  /** Checks a fetched block's commit proof against the validator set. */
  checkProof: CommitProofCheck;
  /** Peers whose blocks and heads count (the validators). */
  isAllowedPeer: (peerId: string) => boolean;
  /** Verifies transaction signatures on other threads ahead of execution. */
  verifySignatures?: (txs: readonly Transaction[]) => Promise<boolean[]>;
  /** Expands state entries into LtHash lanes on other threads (`LtHash.deltaOf` per block). */
  stateDeltas?: (blocks: EntryChanges[]) => Promise<Uint16Array[]>;
  tuning?: Partial<SyncTuning>;
}

/** Runs under the commit lock after each synced block committed (PBFT tells its core). */
export type AfterSyncedCommit = (block: Block, certificate: Uint8Array | undefined) => Promise<void> | void;

/** How a catch-up ended. */
export interface SyncOutcome {
  committed: number;
  height: bigint;
  reachedTarget: boolean;
}

/**
 * Block sync of one validator. Every node announces its head periodically and after commits;
 * a node that finds itself behind (the lag detector, or its consensus engine asking) fetches
 * the missing blocks from several peers at once (SyncRun) and commits them through the same
 * pipeline as consensus, under the commit lock it shares with the engine. Restart-safe: each
 * block commits atomically, so a new run simply starts from the ledger head.
 */
export class SyncManager implements SyncReporter {
  /** Engines apply their committed blocks under this lock: sync never commits a height while consensus does. */
  readonly commitLock = new CommitLock();
  private afterCommit?: AfterSyncedCommit;
  private readonly tuning: SyncTuning;
  private readonly peers = new PeerBook();
  private readonly lag: LagDetector;
  private readonly rate = new RateMeter();
  private readonly listeners: Array<(event: SyncEvent) => void> = [];
  private readonly unsubscribe: Array<() => void> = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private server?: BlockServer;
  private current?: SyncRun;
  private running?: Promise<SyncOutcome>;
  private requestedTarget: bigint | undefined;
  private readonly hintedPeers = new Set<string>();
  private lastPeers: string[] = [];
  private announceTimer?: NodeJS.Timeout;
  private lastProgressLogMs = 0;
  private stopped = true;
  private following = false;
  private totals = { blocks: 0, txs: 0, badPeers: 0 };

  constructor(
    private readonly pipeline: BlockPipeline,
    private readonly transport: ConsensusTransport,
    private readonly options: SyncManagerOptions,
  ) {
    this.tuning = { ...DEFAULT_SYNC_TUNING, ...options.tuning };
    this.lag = new LagDetector({ thresholdBlocks: this.tuning.lagThresholdBlocks, graceMs: this.tuning.lagGraceMs });
  }

  /** Serves blocks, announces this node's head and watches for lag. */
  start(): void {
    this.stopped = false;
    this.server = new BlockServer(this.pipeline.ledger, this.transport, this.options.isAllowedPeer);
    this.unsubscribe.push(this.transport.subscribe(ConsensusMessageType.HEAD_ANNOUNCE, (from, payload) => this.onHead(from, payload)));
    this.unsubscribe.push(this.transport.subscribe(ConsensusMessageType.BLOCK_RESPONSE, (from, payload) => this.onBlockResponse(from, payload)));
    this.pipeline.onCommitted(() => this.announceSoon());
    this.timers.push(setInterval(() => this.announce(false), this.tuning.announceIntervalMs));
    this.timers.push(setInterval(() => this.checkLag(), this.tuning.lagCheckIntervalMs));
    this.announce(true);
  }

  /** Stops serving, announcing and syncing (a run in progress ends after its current block). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.announceTimer);
    for (const off of this.unsubscribe) off();
    this.server?.close();
    this.current?.wake();
    await this.running?.catch(() => undefined);
  }

  /**
   * The running engine's hook after each synced commit; returns the detach function (engines
   * are replaced when the node's role changes, the sync manager stays).
   */
  attachEngine(afterCommit: AfterSyncedCommit): () => void {
    this.afterCommit = afterCommit;
    return () => {
      if (this.afterCommit === afterCommit) this.afterCommit = undefined;
    };
  }

  onEvent(listener: (event: SyncEvent) => void): void {
    this.listeners.push(listener);
  }

  /** The head `peerId` last announced. */
  peerHead(peerId: string): bigint | undefined {
    return this.peers.headOf(peerId);
  }

  /**
   * Fetches and commits blocks until this node reaches `target` (default: the best head its
   * peers announced). Joins the run in progress if there is one. `peerHint` names a peer known
   * to be ahead (the Raft leader that sent a snapshot): the run waits to learn its head.
   */
  catchUp(request: { target?: bigint; peerHint?: string } = {}): Promise<SyncOutcome> {
    if (request.target !== undefined && (this.requestedTarget === undefined || request.target > this.requestedTarget)) this.requestedTarget = request.target;
    if (request.peerHint) this.hintedPeers.add(request.peerHint);
    this.current?.wake();
    this.running ??= this.runOnce().finally(() => {
      this.running = undefined;
      this.current = undefined;
    });
    return this.running;
  }

  status(): SyncStatus {
    const ledger = this.pipeline.ledger;
    const best = this.peers.bestHead(this.connectedPeers(), Date.now());
    const target = this.current ? this.current.scheduler.targetHeight : best !== undefined && best > ledger.height ? best : ledger.height;
    const rates = this.rate.perSecond(Date.now());
    return {
      state: this.current ? 'syncing' : 'synced',
      height: ledger.height.toString(),
      targetHeight: target.toString(),
      lagBlocks: LagDetector.lagOf(ledger.height, best).toString(),
      peers: this.current ? [...this.current.usedPeers] : this.lastPeers,
      blocksPerSecond: Math.round(rates.blocks * 10) / 10,
      txsPerSecond: Math.round(rates.txs),
      blocksSynced: this.totals.blocks,
      txsSynced: this.totals.txs,
      badPeers: this.totals.badPeers,
    };
  }

  private async runOnce(): Promise<SyncOutcome> {
    const ledger = this.pipeline.ledger;
    await this.learnHeads();
    if (this.stopped || this.target() <= ledger.height) return this.finish(0, this.requestedTarget === undefined || ledger.height >= this.requestedTarget);
    const run = new SyncRun({
      pipeline: this.pipeline,
      transport: this.transport,
      peers: this.peers,
      tuning: this.tuning,
      checks: { chainId: this.options.chainId, txLimits: ledger.txLimits, powDifficultyBits: ledger.genesis.powDifficultyBits },
      checkProof: this.options.checkProof,
      commitLock: this.commitLock,
      connectedPeers: () => this.connectedPeers(),
      target: () => this.target(),
      isStopped: () => this.stopped,
      badPeer: (peerId, code, message) => this.badPeer(peerId, code, message),
      committed: (block, certificate, peerId) => this.onSyncedBlock(block, certificate, peerId),
      verifySignatures: this.options.verifySignatures,
      stateDeltas: this.options.stateDeltas,
      warn: (message) => this.options.logger.warn(message),
    });
    this.current = run;
    const from = ledger.height;
    this.emit({ type: 'started', fromHeight: from, targetHeight: run.scheduler.targetHeight });
    this.options.logger.info(`sync: behind, fetching blocks ${from + 1n}..${run.scheduler.targetHeight} from ${this.peers.candidates(this.connectedPeers(), Date.now()).length} peers`);
    this.lastProgressLogMs = Date.now();
    await run.run();
    this.lastPeers = [...run.usedPeers];
    const reached = ledger.height >= run.scheduler.targetHeight && (this.requestedTarget === undefined || ledger.height >= this.requestedTarget);
    this.options.logger.info(`sync: ${reached ? 'caught up' : 'stopped'} at height ${ledger.height} (${run.committedBlocks} blocks from ${this.lastPeers.join(', ') || 'no peer'})`);
    return this.finish(run.committedBlocks, reached);
  }

  private finish(committed: number, reachedTarget: boolean): SyncOutcome {
    const height = this.pipeline.ledger.height;
    // A caller whose target was not reached asks again (PBFT on its next tick, Raft with the next snapshot).
    this.requestedTarget = undefined;
    this.hintedPeers.clear();
    this.lag.reset();
    if (committed > 0) this.emit({ type: 'finished', height, blocks: committed, reachedTarget });
    return { committed, height, reachedTarget };
  }

  /**
   * Waits (bounded) until some peer's head is known above ours, and every hinted peer's head:
   * then there is something to fetch (the target rises as more heads are announced).
   */
  private async learnHeads(): Promise<void> {
    const height = this.pipeline.ledger.height;
    const known = (): boolean => {
      const best = this.peers.bestHead(this.connectedPeers(), Date.now());
      const hintsKnown = [...this.hintedPeers].every((id) => this.peers.headOf(id) !== undefined);
      return hintsKnown && best !== undefined && best > height;
    };
    if (known()) return;
    this.announce(true);
    const deadline = Date.now() + this.tuning.headWaitMs;
    while (!this.stopped && !known() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** What can be fetched: the best head announced by a peer that may serve (a height asked for beyond it would only stall the run). */
  private target(): bigint {
    return this.peers.bestHead(this.connectedPeers(), Date.now()) ?? 0n;
  }

  private connectedPeers(): string[] {
    return this.transport.connectedPeers().filter((id) => this.options.isAllowedPeer(id));
  }

  private async onSyncedBlock(block: Block, certificate: Uint8Array | undefined, peerId: string): Promise<void> {
    await this.afterCommit?.(block, certificate);
    const now = Date.now();
    this.totals.blocks++;
    this.totals.txs += block.txs.length;
    this.rate.record(now, 1, block.txs.length);
    this.emit({ type: 'committed', height: block.header.height, txs: block.txs.length, peerId });
    if (now - this.lastProgressLogMs >= this.tuning.progressLogIntervalMs) {
      this.lastProgressLogMs = now;
      const status = this.status();
      this.options.logger.info(`sync: height ${status.height}/${status.targetHeight}, ${status.blocksPerSecond} blocks/s, ${status.txsPerSecond} tx/s from ${status.peers.join(', ')}`);
    }
  }

  private badPeer(peerId: string, code: string, message: string): void {
    this.peers.ban(peerId, Date.now() + this.tuning.banMs, code);
    this.current?.scheduler.dropPeer(peerId);
    this.totals.badPeers++;
    this.options.logger.warn(`sync: dropped peer ${peerId} for ${Math.round(this.tuning.banMs / 1000)} s: ${code}: ${message}`);
    this.emit({ type: 'bad-peer', peerId, code, message });
  }

  private onBlockResponse(from: string, payload: Buffer): void {
    const run = this.current;
    if (!run || !this.options.isAllowedPeer(from)) return;
    let response;
    try {
      response = decodeBlockResponse(payload);
    } catch {
      return; // not matched to a request: its timeout re-assigns the range
    }
    run.onResponse(from, response);
  }

  private onHead(from: string, payload: Buffer): void {
    if (!this.options.isAllowedPeer(from)) return;
    let announcement;
    try {
      announcement = decodeHeadAnnouncement(payload);
    } catch {
      return;
    }
    this.peers.recordHead(from, announcement.height);
    if (announcement.wantsReply) this.transport.send(from, ConsensusMessageType.HEAD_ANNOUNCE, this.ownHead(false));
    this.current?.wake();
  }

  private ownHead(wantsReply: boolean): Uint8Array {
    const ledger = this.pipeline.ledger;
    return encodeHeadAnnouncement({ height: ledger.height, headHash: fromHex(ledger.headHash) ?? new Uint8Array(0), wantsReply });
  }

  private announce(wantsReply: boolean): void {
    if (!this.stopped) this.transport.broadcast(ConsensusMessageType.HEAD_ANNOUNCE, this.ownHead(wantsReply));
  }

  private announceSoon(): void {
    if (this.announceTimer || this.stopped) return;
    this.announceTimer = setTimeout(() => {
      this.announceTimer = undefined;
      this.announce(false);
    }, this.tuning.announceAfterCommitMs);
  }

  /**
   * A node outside consensus (observer, PBFT learner, a node not yet listed) has no other way to
   * receive blocks: it syncs as soon as any peer is ahead, not only past the lag threshold.
   */
  setFollowing(following: boolean): void {
    this.following = following;
  }

  private checkLag(): void {
    if (this.running || this.stopped) return;
    const ledger = this.pipeline.ledger;
    const best = this.peers.bestHead(this.connectedPeers(), Date.now());
    if (this.following) {
      if (best !== undefined && best > ledger.height) void this.catchUp().catch((error: unknown) => this.options.logger.warn(`sync failed: ${String(error)}`));
      return;
    }
    if (!this.lag.observe(ledger.height, best, Date.now())) return;
    this.options.logger.info(`sync: ${LagDetector.lagOf(ledger.height, best)} blocks behind the peers' head ${best}; catching up`);
    void this.catchUp().catch((error: unknown) => this.options.logger.warn(`sync failed: ${String(error)}`));
  }

  private emit(event: SyncEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
