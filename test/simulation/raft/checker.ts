import type { RaftEntry, RaftNode } from '#consensus';

/** A broken safety or liveness property, with the rule it broke. */
export class SimulationViolation extends Error {
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(`${rule}: ${message}`);
    this.name = 'SimulationViolation';
  }
}

/** A committed entry as first observed anywhere in the cluster. */
interface RecordedEntry {
  readonly term: number;
  readonly data: Uint8Array;
  /** Term of the node that first reported the commit (the committing leader's term). */
  readonly commitTerm: number;
  readonly firstSeenBy: string;
}

/**
 * The global oracle of a Raft simulation: remembers every entry ever committed and every
 * leader ever elected, and throws `SimulationViolation` as soon as an observation contradicts
 * Raft's guarantees (Election Safety, Log Matching, Leader Completeness, State Machine Safety).
 */
export class RaftChecker {
  private readonly leaders = new Map<number, string>();
  /** `committed[i - 1]` is the entry committed at index i. */
  private readonly committed: RecordedEntry[] = [];
  private readonly payloadIndexes = new Map<string, number>();

  /** Highest index known committed anywhere. */
  get committedCount(): number {
    return this.committed.length;
  }

  /** The committed entry at `index`, if known. */
  committedAt(index: number): RaftEntry | undefined {
    const recorded = this.committed[index - 1];
    return recorded === undefined ? undefined : { index, term: recorded.term, data: recorded.data };
  }

  /** Index at which `data` was committed, if it was. */
  indexOfPayload(data: Uint8Array): number | undefined {
    return this.payloadIndexes.get(hex(data));
  }

  /** Election Safety: at most one leader per term. Returns true the first time (id, term) is seen. */
  observeLeader(id: string, term: number): boolean {
    const known = this.leaders.get(term);
    if (known === undefined) {
      this.leaders.set(term, id);
      return true;
    }
    if (known !== id) throw new SimulationViolation('election-safety', `both ${known} and ${id} led term ${term}`);
    return false;
  }

  /** A node's commit index advanced over `entries` (read from its own log). */
  observeCommitted(id: string, nodeTerm: number, entries: readonly RaftEntry[]): void {
    for (const entry of entries) {
      const recorded = this.committed[entry.index - 1];
      if (recorded === undefined) {
        if (entry.index !== this.committed.length + 1) {
          throw new SimulationViolation('commit-order', `${id} committed ${entry.index} but only ${this.committed.length} are known`);
        }
        this.committed.push({ term: entry.term, data: entry.data, commitTerm: nodeTerm, firstSeenBy: id });
        if (entry.data.byteLength > 0) {
          const key = hex(entry.data);
          const earlier = this.payloadIndexes.get(key);
          if (earlier !== undefined) {
            throw new SimulationViolation('exactly-once', `payload committed at ${earlier} and again at ${entry.index}`);
          }
          this.payloadIndexes.set(key, entry.index);
        }
      } else if (!sameEntry(recorded, entry)) {
        throw new SimulationViolation(
          'state-machine-safety',
          `${id} committed ${describe(entry)} at ${entry.index} but ${recorded.firstSeenBy} committed term ${recorded.term} there`,
        );
      }
    }
  }

  /** A node applied `entry` as ledger position `position` (1-based). */
  observeApplied(id: string, position: number, entry: RaftEntry): void {
    if (entry.index !== position) {
      throw new SimulationViolation('apply-order', `${id} applied index ${entry.index} as ledger position ${position}`);
    }
    const recorded = this.committed[entry.index - 1];
    if (recorded === undefined) throw new SimulationViolation('apply-uncommitted', `${id} applied ${entry.index} before any commit of it`);
    if (!sameEntry(recorded, entry)) {
      throw new SimulationViolation('state-machine-safety', `${id} applied ${describe(entry)} but term ${recorded.term} was committed`);
    }
  }

  /** Leader Completeness: a leader of term T holds every entry committed in a term before T. */
  checkLeaderCompleteness(node: RaftNode): void {
    for (let index = Math.max(node.firstIndex, 1); index <= this.committed.length; index++) {
      const recorded = this.committed[index - 1];
      if (recorded.commitTerm >= node.term) continue;
      const term = node.termAt(index);
      if (term !== recorded.term) {
        throw new SimulationViolation(
          'leader-completeness',
          `${node.id} leads term ${node.term} with ${term === undefined ? 'no entry' : `term ${term}`} at ${index}, committed with term ${recorded.term}`,
        );
      }
    }
  }

  /**
   * Log Matching: where two logs hold an entry with the same index and term, they are
   * identical up to there (checked over the range both still hold).
   */
  checkLogMatching(a: RaftNode, b: RaftNode): void {
    const lo = Math.max(a.firstIndex, b.firstIndex);
    let hi = Math.min(a.lastIndex, b.lastIndex);
    while (hi >= lo && a.termAt(hi) !== b.termAt(hi)) hi--;
    if (hi < lo) return;
    const left = a.entries(lo, hi + 1);
    const right = b.entries(lo, hi + 1);
    for (let i = 0; i < left.length; i++) {
      if (!sameEntry(left[i], right[i])) {
        throw new SimulationViolation(
          'log-matching',
          `${a.id} and ${b.id} agree at ${hi} (term ${a.termAt(hi)}) but differ at ${left[i].index}`,
        );
      }
    }
  }
}

function sameEntry(a: { term: number; data: Uint8Array }, b: { term: number; data: Uint8Array }): boolean {
  if (a.term !== b.term || a.data.byteLength !== b.data.byteLength) return false;
  for (let i = 0; i < a.data.byteLength; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

function describe(entry: RaftEntry): string {
  return `term ${entry.term} (${entry.data.byteLength} bytes)`;
}

function hex(data: Uint8Array): string {
  return Buffer.from(data).toString('hex');
}
