import { AccordError } from '#common';
import { entrySizeBytes, NO_NODE, type RaftEntry, type HardState, type SnapshotMeta } from './types.js';

/**
 * What Raft reads from stable storage (shaped like etcd's `Storage`). The driver writes to it
 * while handling a `RaftReady`; Raft only reads, except `compact`, which `RaftNode.compact` forwards.
 *
 * Indexes below `firstIndex()` are compacted; `snapshot()` gives the (index, term) just before
 * `firstIndex()` so Raft can still check log matching against the compaction point.
 */
export interface RaftStorage {
  /** The persisted hard state (zeros and `NO_NODE` for a fresh node). */
  initialState(): HardState;
  /** Entries in [lo, hi), stopping early once `maxBytes` is exceeded (at least one entry). */
  entries(lo: number, hi: number, maxBytes: number): RaftEntry[];
  /** Term of entry `index`; `undefined` when compacted (below the snapshot) or beyond the log. */
  term(index: number): number | undefined;
  /** Index of the first available entry (snapshot index + 1). */
  firstIndex(): number;
  /** Index of the last stored entry (the snapshot index when the log is empty). */
  lastIndex(): number;
  /** The compaction point. */
  snapshot(): SnapshotMeta;
  /** Drops entries up to and including `index` (which the application has durably applied). */
  compact(index: number): void;
}

/** Error codes thrown by storage and log code. */
export const RAFT_STORAGE_ERRORS = Object.freeze({
  compacted: 'RAFT_LOG_COMPACTED',
  unavailable: 'RAFT_LOG_UNAVAILABLE',
  outOfOrder: 'RAFT_LOG_OUT_OF_ORDER',
});

/**
 * An in-memory `RaftStorage` (like etcd's MemoryRaftStorage), also the model of a disk in simulations.
 * RaftEntry 0 of the backing array is a dummy holding the snapshot's (index, term).
 */
export class MemoryRaftStorage implements RaftStorage {
  private hardState: HardState = { term: 0, vote: NO_NODE, commit: 0 };
  private ents: RaftEntry[] = [{ term: 0, index: 0, data: new Uint8Array(0) }];

  initialState(): HardState {
    return this.hardState;
  }

  /** Persists a hard state. */
  setHardState(hardState: HardState): void {
    this.hardState = { ...hardState };
  }

  entries(lo: number, hi: number, maxBytes: number): RaftEntry[] {
    const offset = this.ents[0].index;
    if (lo <= offset) throw new AccordError(RAFT_STORAGE_ERRORS.compacted, `entry ${lo} is compacted`);
    if (hi > this.lastIndex() + 1) {
      throw new AccordError(RAFT_STORAGE_ERRORS.unavailable, `entries up to ${hi - 1} are not stored`);
    }
    return limitSize(this.ents.slice(lo - offset, hi - offset), maxBytes);
  }

  term(index: number): number | undefined {
    const offset = this.ents[0].index;
    if (index < offset || index - offset >= this.ents.length) return undefined;
    return this.ents[index - offset].term;
  }

  firstIndex(): number {
    return this.ents[0].index + 1;
  }

  lastIndex(): number {
    return this.ents[0].index + this.ents.length - 1;
  }

  snapshot(): SnapshotMeta {
    return { index: this.ents[0].index, term: this.ents[0].term };
  }

  /**
   * Appends entries, replacing any stored entries at and after the first new index (a leader's
   * log wins over an uncommitted suffix). Entries below the compaction point are ignored.
   */
  append(entries: readonly RaftEntry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    const fresh = entries.filter((entry) => entry.index >= first);
    if (fresh.length === 0) return;
    const start = fresh[0].index;
    if (start > this.lastIndex() + 1) {
      throw new AccordError(RAFT_STORAGE_ERRORS.outOfOrder, `gap: last ${this.lastIndex()}, appending ${start}`);
    }
    const offset = this.ents[0].index;
    this.ents = this.ents.slice(0, start - offset).concat(fresh);
  }

  compact(index: number): void {
    const offset = this.ents[0].index;
    if (index <= offset) return;
    if (index > this.lastIndex()) {
      throw new AccordError(RAFT_STORAGE_ERRORS.unavailable, `cannot compact to ${index} beyond ${this.lastIndex()}`);
    }
    const kept = this.ents[index - offset];
    this.ents = [{ term: kept.term, index: kept.index, data: new Uint8Array(0) }, ...this.ents.slice(index - offset + 1)];
  }

  /**
   * Replaces the whole log by a compaction point: the application has synced everything up to
   * `snapshot.index` out of band. Also raises the persisted commit index to it.
   */
  applySnapshot(snapshot: SnapshotMeta): void {
    if (snapshot.index <= this.ents[0].index) return;
    this.ents = [{ term: snapshot.term, index: snapshot.index, data: new Uint8Array(0) }];
    if (this.hardState.commit < snapshot.index) this.hardState = { ...this.hardState, commit: snapshot.index };
  }
}

/** Keeps a prefix of `entries` whose total size stays within `maxBytes`, but at least one entry. */
export function limitSize(entries: RaftEntry[], maxBytes: number): RaftEntry[] {
  if (entries.length === 0) return entries;
  let size = entrySizeBytes(entries[0]);
  let count = 1;
  while (count < entries.length) {
    size += entrySizeBytes(entries[count]);
    if (size > maxBytes) break;
    count++;
  }
  return count === entries.length ? entries : entries.slice(0, count);
}
