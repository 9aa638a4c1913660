import { AccordError } from '#common';
import type { PbftVerificationContext } from './certificates.js';
import { MessageLog } from './message-log.js';
import { maxFaulty, primaryOf, quorumSize } from './quorum.js';
import {
  PBFT_DROP_REASONS,
  type CommittedBlock,
  type OwnVote,
  type PbftConfig,
  type PbftDropReason,
  type PbftPersistentState,
  type PbftReady,
  type StableCheckpoint,
} from './replica-types.js';
import { signPbftMessage, verifyPbftSignature } from './signing.js';
import type { CommitMessage, NewViewMessage, PbftMessage, PrePrepareMessage, PrepareMessage, PreparedCertificate, ValidatorId, CheckpointMessage } from './types.js';
import { CheckpointTracker, ViewChangeTracker } from './vote-trackers.js';

const EMPTY = new Uint8Array(0);

/**
 * The state of a PBFT replica and its contract with the driver: configuration, logs, the Ready
 * batch under construction, queries, and admission helpers. `PbftReplica` adds the protocol
 * rules on top.
 */
export abstract class ReplicaBase {
  protected readonly context: PbftVerificationContext;
  protected readonly members: ReadonlySet<ValidatorId>;
  protected readonly f: number;
  protected readonly quorum: number;
  protected readonly checkpointInterval: number;
  protected readonly window: number;
  protected readonly maxFutureViews: number;
  protected readonly retransmitInterval: number;

  protected currentView = 0;
  protected viewChanging = false;
  protected lastCommitted = 0;
  protected stable: StableCheckpoint = { height: 0, digest: EMPTY, proof: [] };
  protected readonly committedDigests = new Map<number, Uint8Array>();
  protected readonly log = new MessageLog();
  protected readonly preparedCerts = new Map<number, PreparedCertificate>();
  protected readonly votes = new Map<string, OwnVote>();
  protected readonly checkpoints = new CheckpointTracker();
  protected readonly viewChanges = new ViewChangeTracker();
  protected newView: NewViewMessage | undefined;
  protected ownCheckpoint: CheckpointMessage | undefined;

  protected ticksWithoutProgress = 0;
  protected ticksSinceRetransmit = 0;
  protected failedViews = 0;

  protected outbox: PbftMessage[] = [];
  protected committedOut: CommittedBlock[] = [];
  protected dirty = false;
  protected syncTarget = 0;
  private reportedSyncTarget = 0;
  private outstanding: PbftReady | undefined;
  private readonly drops: Record<PbftDropReason, number>;

  constructor(protected readonly config: PbftConfig) {
    const n = config.validators.length;
    if (n === 0 || new Set(config.validators).size !== n) throw new AccordError('PBFT_BAD_CONFIG', 'validators must be non-empty and distinct');
    if (!config.validators.includes(config.selfId)) throw new AccordError('PBFT_BAD_CONFIG', `${config.selfId} is not a validator`);
    if (!(config.checkpointIntervalHeights >= 1) || !(config.viewChangeTimeoutTicks >= 1)) {
      throw new AccordError('PBFT_BAD_CONFIG', 'checkpoint interval and view-change timeout must be positive');
    }
    this.members = new Set(config.validators);
    this.f = maxFaulty(n);
    this.quorum = config.quorumOverride ?? quorumSize(n);
    if (!Number.isInteger(this.quorum) || this.quorum < 1 || this.quorum > n) throw new AccordError('PBFT_BAD_CONFIG', `quorum ${this.quorum} outside 1..${n}`);
    this.checkpointInterval = config.checkpointIntervalHeights;
    this.window = config.watermarkWindowHeights ?? 2 * config.checkpointIntervalHeights;
    if (this.window < this.checkpointInterval) throw new AccordError('PBFT_BAD_CONFIG', 'watermark window must span a checkpoint interval');
    this.maxFutureViews = config.maxFutureViews ?? 8;
    this.retransmitInterval = config.retransmitIntervalTicks ?? Math.max(1, Math.floor(config.viewChangeTimeoutTicks / 2));
    this.context = {
      chainId: config.chainId,
      validators: config.validators,
      quorum: this.quorum,
      authenticator: config.authenticator,
      blockDigest: config.blockDigest,
      epochHeight: config.epochHeight,
    };
    this.drops = Object.fromEntries(PBFT_DROP_REASONS.map((r) => [r, 0])) as Record<PbftDropReason, number>;
  }

  // ---- queries ------------------------------------------------------------------------------

  /** The view this replica is in (or moving to, while `isViewChanging()`). */
  get view(): number {
    return this.currentView;
  }

  /** Height of the last block committed here. */
  get lastCommittedHeight(): number {
    return this.lastCommitted;
  }

  /** Height of the last stable checkpoint (the low watermark). */
  get stableCheckpointHeight(): number {
    return this.stable.height;
  }

  /** True while this replica waits for the NEW-VIEW of `view`. */
  isViewChanging(): boolean {
    return this.viewChanging;
  }

  /** True when this replica is the primary of its current view and the view is active. */
  isPrimary(): boolean {
    return !this.viewChanging && primaryOf(this.config.validators, this.currentView) === this.config.selfId;
  }

  /** The height the next block must have: last committed + 1. */
  nextHeight(): number {
    return this.lastCommitted + 1;
  }

  /** True when this replica is primary and has not yet proposed at `nextHeight()` in this view. */
  readyToPropose(): boolean {
    const height = this.nextHeight();
    return (
      this.isPrimary() &&
      this.inWatermarks(height) &&
      this.log.get(height)?.prePrepares.has(this.currentView) !== true &&
      !this.votes.has(voteKey('pre-prepare', this.currentView, height))
    );
  }

  /** Counters of dropped incoming messages, by reason. */
  dropCounters(): Readonly<Record<PbftDropReason, number>> {
    return { ...this.drops };
  }

  /** Number of heights with logged messages (shrinks at each stable checkpoint). */
  get loggedHeights(): number {
    return this.log.size;
  }

  /** The state to persist, as of now. */
  persistentState(): PbftPersistentState {
    const above = (h: number): boolean => h > this.stable.height;
    return {
      view: this.currentView,
      viewChanging: this.viewChanging,
      lastCommittedHeight: this.lastCommitted,
      stableCheckpoint: this.stable,
      recentCommits: [...this.committedDigests]
        .filter(([h]) => above(h))
        .sort((a, b) => a[0] - b[0])
        .map(([height, digest]) => ({ height, digest })),
      preparedCertificates: [...this.preparedCerts.values()].filter((c) => above(c.prePrepare.height)).sort(byHeight),
      votes: [...this.votes.values()].filter((v) => v.height > this.lastCommitted),
    };
  }

  // ---- Ready / advance ----------------------------------------------------------------------

  /** True when `ready()` has something to hand out. */
  hasReady(): boolean {
    return this.outbox.length > 0 || this.committedOut.length > 0 || this.dirty || this.syncTarget > this.reportedSyncTarget;
  }

  /** Takes the pending work; call `advance` with it before the next `ready`. */
  ready(): PbftReady {
    if (this.outstanding !== undefined) throw new AccordError('PBFT_READY_NOT_ADVANCED', 'advance() the previous Ready before taking another');
    const rd: PbftReady = {
      messages: this.outbox,
      committed: this.committedOut,
      ...(this.dirty ? { persist: this.persistentState() } : {}),
      ...(this.syncTarget > this.reportedSyncTarget ? { needSyncHeight: this.syncTarget } : {}),
    };
    this.outbox = [];
    this.committedOut = [];
    this.dirty = false;
    this.reportedSyncTarget = this.syncTarget;
    this.outstanding = rd;
    return rd;
  }

  /** Acknowledges that `rd` was persisted, sent and applied. */
  advance(rd: PbftReady): void {
    if (rd !== this.outstanding) throw new AccordError('PBFT_READY_MISMATCH', 'advance() got a Ready it did not hand out');
    this.outstanding = undefined;
  }

  /** The current view-change timeout: the base timeout doubled per consecutive failed view. */
  currentTimeoutTicks(): number {
    return this.config.viewChangeTimeoutTicks * 2 ** Math.min(this.failedViews, this.config.maxTimeoutDoublings ?? 4);
  }

  // ---- helpers for the protocol rules -----------------------------------------------------

  /** Re-sends this replica's current votes (and view-change or new-view), so lost messages heal. */
  protected retransmit(): void {
    this.ticksSinceRetransmit = 0;
    if (this.viewChanging) {
      const own = this.viewChanges.get(this.currentView, this.config.selfId);
      if (own !== undefined) this.outbox.push(own);
    } else {
      if (this.newView !== undefined && this.newView.sender === this.config.selfId) this.outbox.push(this.newView);
      for (let h = this.lastCommitted + 1; h <= this.stable.height + this.window; h++) {
        const slot = this.log.get(h);
        if (slot === undefined) continue;
        const pp = slot.prePrepares.get(this.currentView);
        if (pp !== undefined && pp.message.sender === this.config.selfId && !pp.reproposed) this.outbox.push(pp.message);
        const prepare = slot.prepares.get(this.currentView, this.config.selfId);
        if (prepare !== undefined) this.outbox.push(prepare);
        const commit = slot.commits.get(this.currentView, this.config.selfId);
        if (commit !== undefined) this.outbox.push(commit);
      }
    }
    if (this.ownCheckpoint !== undefined) this.outbox.push(this.ownCheckpoint);
  }

  /** Drops messages from views we left (counted) or too far ahead (counted). */
  protected admissibleView(view: number): boolean {
    if (view < this.currentView) {
      this.drop('stale-view');
      return false;
    }
    if (view > this.currentView + this.maxFutureViews) {
      this.drop('future-view');
      return false;
    }
    return true;
  }

  protected admissibleHeight(height: number): boolean {
    if (this.inWatermarks(height)) return true;
    this.drop('outside-watermarks');
    return false;
  }

  protected inWatermarks(height: number): boolean {
    return height > this.stable.height && height <= this.stable.height + this.window;
  }

  protected verify(message: PbftMessage): boolean {
    return verifyPbftSignature(this.config.chainId, message, this.config.authenticator);
  }

  protected broadcast<M extends PbftMessage>(unsigned: Omit<M, 'signature'>): M {
    const message = signPbftMessage<M>(this.config.chainId, unsigned, this.config.authenticator);
    this.outbox.push(message);
    return message;
  }

  protected recordVote(message: PrePrepareMessage | PrepareMessage | CommitMessage): void {
    this.votes.set(voteKey(message.type, message.view, message.height), {
      type: message.type,
      view: message.view,
      height: message.height,
      digest: message.digest,
    });
    this.dirty = true;
  }

  protected drop(reason: PbftDropReason): void {
    this.drops[reason]++;
  }

  protected requestSync(height: number): void {
    if (height > this.syncTarget) this.syncTarget = height;
  }

  /** Marks everything up to `height` as synced (called on commit). */
  protected syncedThrough(height: number): void {
    if (this.syncTarget <= height) this.syncTarget = this.reportedSyncTarget = Math.max(this.reportedSyncTarget, height);
  }
}

/** Key of an own vote in the vote map. */
export function voteKey(type: OwnVote['type'], view: number, height: number): string {
  return `${type}:${view}:${height}`;
}

/** Orders prepared certificates by height. */
export function byHeight(a: PreparedCertificate, b: PreparedCertificate): number {
  return a.prePrepare.height - b.prePrepare.height;
}

/** Orders messages by sender id. */
export function bySender(a: { sender: string }, b: { sender: string }): number {
  return a.sender < b.sender ? -1 : a.sender > b.sender ? 1 : 0;
}
