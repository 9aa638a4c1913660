import { AccordError } from '#common';
import { Raft, type ProposeResult, type RaftOptions } from './raft.js';
import type { RaftMessage } from './messages.js';
import type { ProgressState } from './progress.js';
import { hardStateEquals, type RaftEntry, type HardState, type RaftRole, type SnapshotMeta, type SoftState } from './types.js';

/** Options of a `RaftNode` (identical to the core's). */
export type RaftNodeOptions = RaftOptions;

/** The leader asked this follower to fetch committed blocks up to (index, term) out of band. */
export interface SyncRequest extends SnapshotMeta {
  /** Who asked; a good first peer to fetch blocks from. */
  readonly leaderId: string;
}

/** A follower's replication progress as seen by the leader. */
export interface PeerProgress {
  readonly match: number;
  readonly next: number;
  readonly state: ProgressState;
  readonly isLearner: boolean;
  readonly recentActive: boolean;
}

/** A snapshot of a node's state for diagnostics and metrics. */
export interface RaftStatus extends SoftState {
  readonly id: string;
  readonly term: number;
  readonly vote: string;
  readonly commitIndex: number;
  readonly appliedIndex: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
  /** Per-peer progress; only a leader tracks it, so empty otherwise. */
  readonly progress: Readonly<Record<string, PeerProgress>>;
}

/**
 * A batch of work for the driver, handled in this order:
 * 1. persist `snapshot` (if any), then `entries`, then `hardState` (if any) to stable storage;
 * 2. send `messages` (only now: they may promise what step 1 persisted);
 * 3. apply `committedEntries` to the application;
 * 4. start a sync if `syncRequest` is set (finish it with `RaftNode.restoreFrom`);
 * 5. call `RaftNode.advance(ready)`.
 */
export interface RaftReady {
  /** Present when the leader or role changed. */
  readonly softState?: SoftState;
  /** Present when term, vote or commit changed. */
  readonly hardState?: HardState;
  /** Present after `restoreFrom`: discard the stored log and record this compaction point. */
  readonly snapshot?: SnapshotMeta;
  /** New log entries to append to stable storage (they may replace a stored suffix). */
  readonly entries: readonly RaftEntry[];
  /** Entries newly committed, in index order, to apply (no-op entries have empty data). */
  readonly committedEntries: readonly RaftEntry[];
  /** Messages to send, each to its `to`. */
  readonly messages: readonly RaftMessage[];
  /** Present once per new out-of-band sync the leader asked for. */
  readonly syncRequest?: SyncRequest;
}

/**
 * The driver-facing Raft node (etcd's RawNode): feed it ticks, messages and proposals, and
 * drain `RaftReady` batches. Pure and synchronous; the driver owns all I/O.
 *
 * ```ts
 * const node = new RaftNode({ id, peers, storage, random, config });
 * node.tick(); node.step(msg); node.propose(data);
 * if (node.hasReady()) { const rd = node.ready(); persist(rd); send(rd.messages); apply(rd.committedEntries); node.advance(rd); }
 * ```
 */
export class RaftNode {
  /** The state machine; exposed read-mostly for tests and diagnostics. */
  readonly raft: Raft;
  private prevSoftState: SoftState;
  private prevHardState: HardState;
  private reportedSync: SyncRequest | undefined;
  private outstanding: RaftReady | undefined;

  constructor(options: RaftNodeOptions) {
    this.raft = this.createCore(options);
    this.prevSoftState = this.raft.softState();
    this.prevHardState = options.storage.initialState();
  }

  /** This node's id. */
  get id(): string {
    return this.raft.id;
  }

  /** Current term. */
  get term(): number {
    return this.raft.term;
  }

  /** Current role. */
  get role(): RaftRole {
    return this.raft.role;
  }

  /** Known leader, or `undefined`. */
  get leaderId(): string | undefined {
    return this.raft.leaderId === '' ? undefined : this.raft.leaderId;
  }

  /** Highest committed index. */
  get commitIndex(): number {
    return this.raft.log.committed;
  }

  /** Highest index handed to the application and acknowledged by `advance`. */
  get appliedIndex(): number {
    return this.raft.log.applied;
  }

  /** Index of the last log entry. */
  get lastIndex(): number {
    return this.raft.log.lastIndex();
  }

  /** First index still in the log (earlier ones are compacted). */
  get firstIndex(): number {
    return this.raft.log.firstIndex();
  }

  /** Everything observable about this node, as plain data. */
  status(): RaftStatus {
    const raft = this.raft;
    const progress: Record<string, PeerProgress> = {};
    if (raft.role === 'leader') {
      for (const [id, pr] of raft.tracker.progress) {
        progress[id] = { match: pr.match, next: pr.next, state: pr.state, isLearner: pr.isLearner, recentActive: pr.recentActive };
      }
    }
    return {
      id: raft.id,
      term: raft.term,
      vote: raft.vote,
      ...raft.softState(),
      commitIndex: raft.log.committed,
      appliedIndex: raft.log.applied,
      firstIndex: raft.log.firstIndex(),
      lastIndex: raft.log.lastIndex(),
      progress,
    };
  }

  /** Term of entry `index`, `undefined` when compacted or absent. */
  termAt(index: number): number | undefined {
    return this.raft.log.term(index);
  }

  /** Log entries in [lo, hi); `lo` must not be compacted. */
  entries(lo: number, hi: number): RaftEntry[] {
    return this.raft.log.slice(lo, hi, Number.MAX_SAFE_INTEGER);
  }

  /** Advances logical time by one tick. */
  tick(): void {
    this.raft.tick();
  }

  /** Feeds a message received from a peer. */
  step(message: RaftMessage): void {
    this.raft.step(message);
  }

  /**
   * Proposes `data` as a new entry; refused with the known leader id on a non-leader. Empty
   * data is allowed but reads back like the leader's no-op entries.
   */
  propose(data: Uint8Array): ProposeResult {
    return this.raft.propose(data);
  }

  /** Campaigns immediately (useful to speed up a fresh cluster's first election). */
  campaign(): void {
    this.raft.campaignNow();
  }

  /** Applies a committed membership change (see `Raft.applyMembership`). */
  applyMembership(voters: readonly string[], learners: readonly string[]): void {
    this.raft.applyMembership(voters, learners);
  }

  /** Voters and learners as this node currently knows them. */
  membership(): { voters: readonly string[]; learners: readonly string[] } {
    return { voters: this.raft.tracker.voters, learners: this.raft.tracker.learners };
  }

  /**
   * Completes an out-of-band sync: the application durably holds every committed block up to
   * (index, term). The next `RaftReady` carries the compaction point to persist.
   */
  restoreFrom(index: number, term: number): boolean {
    return this.raft.restoreFrom(index, term);
  }

  /**
   * Lets storage drop entries up to `index`, which the application must have durably applied.
   * Followers that later need them are told to sync out of band.
   */
  compact(index: number): void {
    if (index > this.raft.log.applied) {
      throw new AccordError('RAFT_COMPACT_BEYOND_APPLIED', `cannot compact to ${index}: applied is ${this.raft.log.applied}`);
    }
    this.raft.log.storage.compact(index);
  }

  /** True when `ready()` has something to hand out. */
  hasReady(): boolean {
    const raft = this.raft;
    return (
      raft.msgs.length > 0 ||
      raft.log.unstable.entries.length > 0 ||
      raft.log.unstable.snapshot !== undefined ||
      raft.log.hasNextCommittedEntries() ||
      !hardStateEquals(raft.hardState(), this.prevHardState) ||
      !softStateEquals(raft.softState(), this.prevSoftState) ||
      (raft.pendingSync !== undefined && raft.pendingSync !== this.reportedSync)
    );
  }

  /**
   * Takes the pending work. Messages are handed out exactly once; call `advance` with the
   * returned value before the next `ready`.
   */
  ready(): RaftReady {
    if (this.outstanding !== undefined) {
      throw new AccordError('RAFT_READY_NOT_ADVANCED', 'advance() the previous RaftReady before taking another');
    }
    const raft = this.raft;
    const softState = raft.softState();
    const hardState = raft.hardState();
    const syncRequest = raft.pendingSync !== this.reportedSync ? raft.pendingSync : undefined;
    const rd: RaftReady = {
      ...(softStateEquals(softState, this.prevSoftState) ? {} : { softState }),
      ...(hardStateEquals(hardState, this.prevHardState) ? {} : { hardState }),
      ...(raft.log.unstable.snapshot === undefined ? {} : { snapshot: raft.log.unstable.snapshot }),
      entries: [...raft.log.unstable.entries],
      committedEntries: raft.log.nextCommittedEntries(),
      messages: raft.msgs,
      ...(syncRequest === undefined ? {} : { syncRequest }),
    };
    raft.msgs = [];
    this.reportedSync = raft.pendingSync;
    this.outstanding = rd;
    return rd;
  }

  /** Acknowledges that `rd` was persisted, sent and applied. */
  advance(rd: RaftReady): void {
    if (rd !== this.outstanding) throw new AccordError('RAFT_READY_MISMATCH', 'advance() got a RaftReady it did not hand out');
    this.outstanding = undefined;
    const log = this.raft.log;
    if (rd.softState !== undefined) this.prevSoftState = rd.softState;
    if (rd.hardState !== undefined) this.prevHardState = rd.hardState;
    if (rd.snapshot !== undefined) log.unstable.stableSnapshotTo(rd.snapshot.index);
    const lastEntry = rd.entries.at(-1);
    if (lastEntry !== undefined) log.unstable.stableTo(lastEntry.index, lastEntry.term);
    const lastApplied = rd.committedEntries.at(-1);
    if (lastApplied !== undefined) log.appliedTo(lastApplied.index);
  }

  /** Builds the state machine; a subclass may substitute a variant (e.g. a mutant in tests). */
  protected createCore(options: RaftNodeOptions): Raft {
    return new Raft(options);
  }
}

function softStateEquals(a: SoftState, b: SoftState): boolean {
  return a.leaderId === b.leaderId && a.role === b.role;
}
