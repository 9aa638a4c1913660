import { bytesEqual, toHex } from './quorum.js';
import type { CommitMessage, PrePrepareMessage, PrepareMessage, ValidatorId } from './types.js';

/** A pre-prepare logged for one (view, height), and whether it came from a NEW-VIEW. */
export interface LoggedPrePrepare {
  readonly message: PrePrepareMessage;
  readonly reproposed: boolean;
}

/** Outcome of adding one validator's vote to the log. */
export type VoteInsert = 'added' | 'repeated' | 'conflicting';

/** Votes of one kind at one height, per view and sender (a sender gets one vote per view). */
export class VoteTable<M extends PrepareMessage | CommitMessage> {
  private readonly byView = new Map<number, Map<ValidatorId, M>>();

  /** Looks up what `sender` already said in `view`, if anything. */
  get(view: number, sender: ValidatorId): M | undefined {
    return this.byView.get(view)?.get(sender);
  }

  /** Classifies a vote against what is logged; call `put` after verifying a new one. */
  classify(vote: M): VoteInsert {
    const existing = this.get(vote.view, vote.sender);
    if (existing === undefined) return 'added';
    return bytesEqual(existing.digest, vote.digest) ? 'repeated' : 'conflicting';
  }

  /** Stores a vote (the caller checked it is new and authentic). */
  put(vote: M): void {
    let senders = this.byView.get(vote.view);
    if (senders === undefined) {
      senders = new Map();
      this.byView.set(vote.view, senders);
    }
    senders.set(vote.sender, vote);
  }

  /** Votes for `digest` in `view`, ignoring `excluded` (the primary's prepares), sorted by sender. */
  matching(view: number, digest: Uint8Array, excluded?: ValidatorId): M[] {
    const senders = this.byView.get(view);
    if (senders === undefined) return [];
    const key = toHex(digest);
    const votes: M[] = [];
    for (const vote of senders.values()) {
      if (vote.sender !== excluded && toHex(vote.digest) === key) votes.push(vote);
    }
    return votes.sort((a, b) => (a.sender < b.sender ? -1 : a.sender > b.sender ? 1 : 0));
  }

  /** The first (view, digest) holding at least `quorum` votes, if any. */
  findQuorum(quorum: number): { view: number; digest: Uint8Array; votes: M[] } | undefined {
    for (const [view, senders] of this.byView) {
      if (senders.size < quorum) continue;
      const counts = new Map<string, number>();
      for (const vote of senders.values()) {
        const key = toHex(vote.digest);
        const count = (counts.get(key) ?? 0) + 1;
        counts.set(key, count);
        if (count >= quorum) return { view, digest: vote.digest, votes: this.matching(view, vote.digest).slice(0, quorum) };
      }
    }
    return undefined;
  }
}

/** Everything logged about one height: pre-prepares per view, verdicts, prepares, commits. */
export class HeightSlot {
  readonly prePrepares = new Map<number, LoggedPrePrepare>();
  /** The application's verdict on the pre-prepare of each view: true = accepted. */
  readonly verdicts = new Map<number, boolean>();
  readonly prepares = new VoteTable<PrepareMessage>();
  readonly commits = new VoteTable<CommitMessage>();
}

/** The message log, one slot per height, garbage-collected below the stable checkpoint. */
export class MessageLog {
  private readonly slots = new Map<number, HeightSlot>();

  /** The slot for `height`, created on first use. */
  slot(height: number): HeightSlot {
    let slot = this.slots.get(height);
    if (slot === undefined) {
      slot = new HeightSlot();
      this.slots.set(height, slot);
    }
    return slot;
  }

  /** The slot for `height` if anything was logged there. */
  get(height: number): HeightSlot | undefined {
    return this.slots.get(height);
  }

  /** Heights with a slot, ascending. */
  heights(): number[] {
    return [...this.slots.keys()].sort((a, b) => a - b);
  }

  /** Drops every slot at or below `height`. */
  collectThrough(height: number): void {
    for (const h of this.slots.keys()) if (h <= height) this.slots.delete(h);
  }

  /** Number of heights with a slot (for tests of garbage collection). */
  get size(): number {
    return this.slots.size;
  }
}
