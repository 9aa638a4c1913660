/**
 * The leader's view of each follower (shaped like etcd's `tracker/progress.go`).
 *
 * - probe: we do not know where the follower's log matches; send one append per heartbeat
 *   interval and wait for the answer.
 * - replicate: the follower is in sync; stream appends optimistically, bounded by `Inflights`.
 * - snapshot: the follower needs compacted entries and is syncing blocks out of band; pause.
 */
export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** A bounded window of in-flight append messages, each identified by its last entry index. */
export class Inflights {
  private readonly lastIndexes: number[] = [];

  constructor(readonly capacity: number) {}

  /** Number of appends in flight. */
  get count(): number {
    return this.lastIndexes.length;
  }

  /** True when no more appends may be sent. */
  full(): boolean {
    return this.lastIndexes.length >= this.capacity;
  }

  /** Records an append whose last entry is `lastIndex` (indexes must not decrease). */
  add(lastIndex: number): void {
    this.lastIndexes.push(lastIndex);
  }

  /** Frees every append whose last entry is <= `index` (acknowledged). */
  freeLE(index: number): void {
    let freed = 0;
    while (freed < this.lastIndexes.length && this.lastIndexes[freed] <= index) freed++;
    if (freed > 0) this.lastIndexes.splice(0, freed);
  }

  /** Frees the oldest append in flight (presumed lost). */
  freeFirstOne(): void {
    this.lastIndexes.shift();
  }

  /** Forgets everything in flight. */
  reset(): void {
    this.lastIndexes.length = 0;
  }
}

/** Replication progress of one peer as tracked by the leader. */
export class Progress {
  /** Highest index known to be replicated on the peer. */
  match = 0;
  /** Next index to send. */
  next: number;
  state: ProgressState = 'probe';
  /** In probe state: an append was sent and we wait for its answer or a heartbeat answer. */
  probeSent = false;
  /** In snapshot state: the compaction point the peer was told to sync to. */
  pendingSnapshot = 0;
  /** Ticks spent in snapshot state, so a lost sync can be retried. */
  snapshotElapsedTicks = 0;
  /** Heard from the peer since the last check-quorum round. */
  recentActive = false;
  readonly inflights: Inflights;

  constructor(
    next: number,
    maxInflight: number,
    /** Learners receive the log but neither vote nor count towards commit (a promotion flips it). */
    public isLearner = false,
  ) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
  }

  /** True when no append should be sent right now. */
  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.full();
      case 'snapshot':
        return true;
    }
  }

  /** Enters probe state, resuming after the match (or after the pending snapshot). */
  becomeProbe(): void {
    const resumeAfter = this.state === 'snapshot' ? Math.max(this.match, this.pendingSnapshot) : this.match;
    this.resetState('probe');
    this.next = resumeAfter + 1;
  }

  /** Enters replicate state. */
  becomeReplicate(): void {
    this.resetState('replicate');
    this.next = this.match + 1;
  }

  /** Enters snapshot state for a sync to `snapshotIndex`. */
  becomeSnapshot(snapshotIndex: number): void {
    this.resetState('snapshot');
    this.pendingSnapshot = snapshotIndex;
  }

  /** Bookkeeping after sending an append whose entries end at `lastIndex` (count may be 0). */
  sentEntries(count: number, lastIndex: number): void {
    if (this.state === 'replicate' && count > 0) {
      this.next = lastIndex + 1;
      this.inflights.add(lastIndex);
    }
    if (this.state === 'probe') this.probeSent = true;
  }

  /** Records an acknowledgement up to `index`; false when it told us nothing new. */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, index + 1);
    return updated;
  }

  /**
   * Handles a rejected append of `rejected` with the follower's hint. Returns false when the
   * rejection is stale (answers an older append) and must be ignored.
   */
  maybeDecreaseTo(rejected: number, matchHint: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1);
    this.probeSent = false;
    return true;
  }

  private resetState(state: ProgressState): void {
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.snapshotElapsedTicks = 0;
    this.state = state;
    this.inflights.reset();
  }
}

/** Progress of every peer plus vote tallies; voters and learners are both tracked. */
export class ProgressTracker {
  readonly progress = new Map<string, Progress>();
  private readonly votes = new Map<string, boolean>();

  /** Voting members (including self). */
  voters: readonly string[];
  /** Non-voting members. */
  learners: readonly string[];

  constructor(voters: readonly string[], learners: readonly string[] = []) {
    this.voters = voters;
    this.learners = learners;
  }

  /**
   * Replaces the membership, keeping the replication state of peers that stay (a learner
   * promoted to voter keeps its match); new peers are probed from `next`, removed ones forgotten.
   */
  setMembership(voters: readonly string[], learners: readonly string[], next: number, maxInflight: number): void {
    const previous = new Map(this.progress);
    this.voters = [...voters];
    this.learners = [...learners];
    this.progress.clear();
    const carry = (id: string, isLearner: boolean): void => {
      const old = previous.get(id);
      if (old) old.isLearner = isLearner;
      this.progress.set(id, old ?? new Progress(next, maxInflight, isLearner));
    };
    for (const id of this.voters) carry(id, false);
    for (const id of this.learners) carry(id, true);
    for (const id of previous.keys()) if (!this.progress.has(id)) this.votes.delete(id);
  }

  /** Quorum size among voters. */
  get quorum(): number {
    return Math.floor(this.voters.length / 2) + 1;
  }

  /** Recreates every progress with `next` as the next index. */
  reset(next: number, maxInflight: number): void {
    this.progress.clear();
    for (const id of this.voters) this.progress.set(id, new Progress(next, maxInflight));
    for (const id of this.learners) this.progress.set(id, new Progress(next, maxInflight, true));
  }

  /** Forgets all recorded votes. */
  resetVotes(): void {
    this.votes.clear();
  }

  /** Records a vote (first answer per voter wins) and returns the tally. */
  recordVote(id: string, granted: boolean): VoteTally {
    if (this.voters.includes(id) && !this.votes.has(id)) this.votes.set(id, granted);
    return this.tally();
  }

  /** Current vote outcome. */
  tally(): VoteTally {
    let granted = 0;
    let rejected = 0;
    for (const vote of this.votes.values()) {
      if (vote) granted++;
      else rejected++;
    }
    const result = granted >= this.quorum ? 'won' : rejected > this.voters.length - this.quorum ? 'lost' : 'pending';
    return { granted, rejected, result };
  }

  /** The highest index replicated on a quorum of voters. */
  committedIndex(): number {
    const matches = this.voters.map((id) => this.progress.get(id)?.match ?? 0).sort((a, b) => b - a);
    return matches[this.quorum - 1];
  }

  /** True when a quorum of voters (counting `self`) was recently active; clears the flags. */
  quorumActive(self: string): boolean {
    let active = 0;
    for (const id of this.voters) {
      const pr = this.progress.get(id);
      if (id === self || pr?.recentActive) active++;
    }
    for (const [id, pr] of this.progress) if (id !== self) pr.recentActive = false;
    return active >= this.quorum;
  }
}

/** Outcome of an election so far. */
export interface VoteTally {
  granted: number;
  rejected: number;
  result: 'won' | 'lost' | 'pending';
}
