import type { RaftEntry, SnapshotMeta } from './types.js';

/**
 * Entries (and possibly a restored compaction point) not yet handed to stable storage. Once a
 * `RaftReady` carrying them has been persisted, `stableTo` drops them from here.
 */
export class Unstable {
  /** Index of `entries[0]` (or where the next entry would go). */
  offset: number;
  /** The unpersisted entries, `entries[i]` at index `offset + i`. */
  entries: RaftEntry[] = [];
  /** A compaction point adopted by `restore` and not yet persisted. */
  snapshot: SnapshotMeta | undefined;

  constructor(offset: number) {
    this.offset = offset;
  }

  /** Last index held here, if any. */
  maybeLastIndex(): number | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    return this.snapshot?.index;
  }

  /** First index this unstable region can vouch for, if it holds a snapshot. */
  maybeFirstIndex(): number | undefined {
    return this.snapshot === undefined ? undefined : this.snapshot.index + 1;
  }

  /** Term of `index` if this region knows it. */
  maybeTerm(index: number): number | undefined {
    if (index < this.offset) {
      return this.snapshot !== undefined && this.snapshot.index === index ? this.snapshot.term : undefined;
    }
    const last = this.maybeLastIndex();
    if (last === undefined || index > last) return undefined;
    return this.entries[index - this.offset].term;
  }

  /** Marks entries up to (index, term) as persisted. A term mismatch means they were replaced. */
  stableTo(index: number, term: number): void {
    const known = this.maybeTerm(index);
    if (known === term && index >= this.offset) {
      this.entries = this.entries.slice(index + 1 - this.offset);
      this.offset = index + 1;
    }
  }

  /** Marks the held snapshot as persisted. */
  stableSnapshotTo(index: number): void {
    if (this.snapshot !== undefined && this.snapshot.index === index) this.snapshot = undefined;
  }

  /** Replaces everything by a compaction point. */
  restore(snapshot: SnapshotMeta): void {
    this.offset = snapshot.index + 1;
    this.entries = [];
    this.snapshot = snapshot;
  }

  /** Appends entries, truncating any held suffix they conflict with. */
  truncateAndAppend(entries: readonly RaftEntry[]): void {
    const after = entries[0].index;
    if (after === this.offset + this.entries.length) {
      this.entries = this.entries.concat(entries);
    } else if (after <= this.offset) {
      // The new entries replace everything held here and whatever storage has from `after` on.
      this.offset = after;
      this.entries = [...entries];
    } else {
      this.entries = this.entries.slice(0, after - this.offset).concat(entries);
    }
  }

  /** Held entries in [lo, hi); the caller guarantees the range lies inside this region. */
  slice(lo: number, hi: number): RaftEntry[] {
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }
}
