import { AccordError } from '#common';
import { limitSize, RAFT_STORAGE_ERRORS, type RaftStorage } from './storage.js';
import { Unstable } from './unstable.js';
import type { RaftEntry, SnapshotMeta } from './types.js';

/**
 * The Raft log as the state machine sees it: stable storage plus an unstable tail, with the
 * commit and apply cursors. Invariant: applied <= committed <= lastIndex.
 */
export class RaftLog {
  /** Entries (and a restored compaction point) not yet persisted. */
  readonly unstable: Unstable;
  /** Highest index known committed. */
  committed: number;
  /** Highest index the application has applied. */
  applied: number;

  constructor(
    readonly storage: RaftStorage,
    appliedIndex?: number,
  ) {
    this.unstable = new Unstable(storage.lastIndex() + 1);
    this.committed = Math.max(storage.initialState().commit, storage.firstIndex() - 1);
    this.applied = Math.max(appliedIndex ?? 0, storage.firstIndex() - 1);
    if (this.applied > storage.lastIndex()) {
      throw new AccordError('RAFT_APPLIED_BEYOND_LOG', `applied index ${this.applied} is beyond the stored log (${storage.lastIndex()})`);
    }
    // The application can only have applied committed entries.
    if (this.applied > this.committed) this.committed = this.applied;
  }

  /** First index still available (not compacted). */
  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  /** Index of the last entry. */
  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  /** Term of the last entry. */
  lastTerm(): number {
    return this.term(this.lastIndex()) ?? 0;
  }

  /** Term of entry `index`, `undefined` when compacted or beyond the log. */
  term(index: number): number | undefined {
    if (index < this.firstIndex() - 1 || index > this.lastIndex()) return undefined;
    return this.unstable.maybeTerm(index) ?? this.storage.term(index);
  }

  /** True when entry `index` exists with term `term`. */
  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /** True when a log ending at (lastIndex, lastTerm) is at least as up to date as ours (§5.4.1). */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());
  }

  /** Appends entries after the current log (truncating a conflicting uncommitted suffix). */
  append(entries: readonly RaftEntry[]): number {
    if (entries.length === 0) return this.lastIndex();
    if (entries[0].index - 1 < this.committed) {
      throw new AccordError('RAFT_COMMITTED_OVERWRITE', `append at ${entries[0].index} below commit ${this.committed}`);
    }
    this.unstable.truncateAndAppend(entries);
    return this.lastIndex();
  }

  /**
   * The follower side of AppendEntries: when our entry at `index` has term `logTerm`, append
   * the entries not already present (deleting conflicting ones) and advance the commit index.
   * Returns the last index known to match the leader, or `undefined` on a consistency failure.
   */
  maybeAppend(index: number, logTerm: number, commit: number, entries: readonly RaftEntry[]): number | undefined {
    if (!this.matchTerm(index, logTerm)) return undefined;
    const lastNewIndex = index + entries.length;
    const conflict = this.findConflict(entries);
    if (conflict !== 0) {
      if (conflict <= this.committed) {
        throw new AccordError('RAFT_COMMITTED_OVERWRITE', `entry ${conflict} conflicts with committed ${this.committed}`);
      }
      this.append(entries.slice(conflict - (index + 1)));
    }
    this.commitTo(Math.min(commit, lastNewIndex));
    return lastNewIndex;
  }

  /** Index of the first entry that is new or conflicts with ours, 0 when all are present. */
  findConflict(entries: readonly RaftEntry[]): number {
    for (const entry of entries) {
      if (!this.matchTerm(entry.index, entry.term)) return entry.index;
    }
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `term`, with that term: the first place the
   * logs can possibly match, used to skip a whole term per rejection.
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    for (let i = index; i >= 0; i--) {
      const ourTerm = this.term(i);
      if (ourTerm === undefined) return { index: i, term: 0 };
      if (ourTerm <= term) return { index: i, term: ourTerm };
    }
    return { index: 0, term: 0 };
  }

  /** Raises the commit index (never lowers it). */
  commitTo(index: number): void {
    if (index <= this.committed) return;
    if (index > this.lastIndex()) {
      throw new AccordError('RAFT_COMMIT_BEYOND_LOG', `commit ${index} beyond last index ${this.lastIndex()}`);
    }
    this.committed = index;
  }

  /** Records that the application applied everything up to `index`. */
  appliedTo(index: number): void {
    if (index <= this.applied) return;
    if (index > this.committed) {
      throw new AccordError('RAFT_APPLY_BEYOND_COMMIT', `apply ${index} beyond commit ${this.committed}`);
    }
    this.applied = index;
  }

  /** Entries in [lo, hi) within `maxBytes`; throws `RAFT_LOG_COMPACTED` below the first index. */
  slice(lo: number, hi: number, maxBytes: number): RaftEntry[] {
    if (lo >= hi) return [];
    if (lo < this.firstIndex()) throw new AccordError(RAFT_STORAGE_ERRORS.compacted, `entry ${lo} is compacted`);
    const result: RaftEntry[] = [];
    const unstableFrom = this.unstable.offset;
    if (lo < unstableFrom) {
      result.push(...this.storage.entries(lo, Math.min(hi, unstableFrom), maxBytes));
      if (result.length < Math.min(hi, unstableFrom) - lo) return result;
    }
    if (hi > unstableFrom) result.push(...this.unstable.slice(Math.max(lo, unstableFrom), hi));
    return limitSize(result, maxBytes);
  }

  /** Entries from `lo` to the end of the log, size-limited. */
  entriesFrom(lo: number, maxBytes: number): RaftEntry[] {
    return this.slice(lo, this.lastIndex() + 1, maxBytes);
  }

  /** Entries committed but not yet applied. */
  nextCommittedEntries(): RaftEntry[] {
    return this.slice(this.applied + 1, this.committed + 1, Number.MAX_SAFE_INTEGER);
  }

  /** True when `nextCommittedEntries` would return something. */
  hasNextCommittedEntries(): boolean {
    return this.committed > this.applied;
  }

  /** Replaces the log by a compaction point synced out of band; everything up to it is applied. */
  restore(snapshot: SnapshotMeta): void {
    this.unstable.restore(snapshot);
    this.committed = snapshot.index;
    this.applied = snapshot.index;
  }
}
