import { Raft, RaftNode, type RaftNodeOptions } from '#consensus';

/**
 * Deliberately broken Raft variants. The simulator must catch each of them; if it ever stops
 * doing so, its checks have gone blind.
 */

/** Commits its own entries as soon as it appends them, without waiting for a quorum. */
class EagerCommitRaft extends Raft {
  protected override maybeCommit(): boolean {
    const last = this.log.lastIndex();
    if (this.role !== 'leader' || last <= this.log.committed) return false;
    this.log.commitTo(last);
    return true;
  }
}

/** Commits by quorum but ignores Figure 8: entries of earlier terms commit by counting replicas. */
class PreviousTermCommitRaft extends Raft {
  protected override maybeCommit(): boolean {
    const index = this.tracker.committedIndex();
    if (index <= this.log.committed) return false;
    this.log.commitTo(index);
    return true;
  }
}

/** A node factory whose nodes run `core` instead of the real state machine. */
function factory(core: new (options: RaftNodeOptions) => Raft): (options: RaftNodeOptions) => RaftNode {
  const Node = class extends RaftNode {
    protected override createCore(options: RaftNodeOptions): Raft {
      return new core(options);
    }
  };
  return (options) => new Node(options);
}

/** Nodes that commit without a quorum. */
export const eagerCommitNodes = factory(EagerCommitRaft);
/** Nodes that commit earlier-term entries directly (the Figure 8 bug). */
export const previousTermCommitNodes = factory(PreviousTermCommitRaft);
