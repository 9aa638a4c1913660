import type { RaftLog } from './log.js';
import type { AppendResponseMessage, RaftMessage } from './messages.js';
import type { Progress, ProgressTracker } from './progress.js';
import type { RaftConfig } from './types.js';

/** What the leader-side replication logic needs from the Raft state machine. */
export interface ReplicationHost {
  readonly id: string;
  readonly log: RaftLog;
  readonly tracker: ProgressTracker;
  readonly config: RaftConfig;
  /** The current term (it changes, hence a function). */
  term(): number;
  send(message: RaftMessage): void;
  /** Advances the commit index if a quorum allows; true when it moved. */
  maybeCommit(): boolean;
}

/**
 * The leader's side of log replication: appends with flow control, heartbeats, conflict
 * back-off and out-of-band sync requests for followers behind the compaction point.
 */
export class Replicator {
  constructor(private readonly host: ReplicationHost) {}

  /** Handles a message from a follower while leading. */
  stepLeader(m: RaftMessage): void {
    const pr = this.host.tracker.progress.get(m.from);
    if (pr === undefined) return;
    if (m.type === 'appendResponse') {
      pr.recentActive = true;
      this.handleAppendResponse(m, pr);
    } else if (m.type === 'heartbeatResponse') {
      pr.recentActive = true;
      pr.probeSent = false;
      // If every append filling the window was lost, free a slot so replication can resume;
      // the follower's rejection of the resulting gap moves it back to probe.
      if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirstOne();
      if (pr.match < this.host.log.lastIndex() || pr.state === 'probe') this.sendAppend(m.from, pr);
    }
  }

  /** Sends every follower what it is missing (or an empty append). */
  broadcastAppend(): void {
    for (const [to, pr] of this.host.tracker.progress) if (to !== this.host.id) this.sendAppend(to, pr);
  }

  /** Sends every follower a heartbeat carrying a commit index it is known to be able to apply. */
  broadcastHeartbeat(): void {
    const { id, log, tracker } = this.host;
    const term = this.host.term();
    for (const [to, pr] of tracker.progress) {
      if (to === id) continue;
      this.host.send({ type: 'heartbeat', from: id, to, term, commit: Math.min(pr.match, log.committed) });
    }
  }

  private handleAppendResponse(m: AppendResponseMessage, pr: Progress): void {
    const log = this.host.log;
    if (m.reject) {
      // The hint lets us skip every entry of a term the follower cannot match in one go.
      const hint = m.logTerm > 0 ? log.findConflictByTerm(m.rejectHint, m.logTerm).index : m.rejectHint;
      if (pr.maybeDecreaseTo(m.index, hint)) {
        if (pr.state === 'replicate') pr.becomeProbe();
        this.sendAppend(m.from, pr);
      }
      return;
    }
    const wasPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.index)) return;
    if (pr.state === 'probe') {
      pr.becomeReplicate();
    } else if (pr.state === 'snapshot' && pr.match + 1 >= log.firstIndex()) {
      pr.becomeReplicate();
    } else if (pr.state === 'replicate') {
      pr.inflights.freeLE(m.index);
    }
    if (this.host.maybeCommit()) this.broadcastAppend();
    else if (wasPaused) this.sendAppend(m.from, pr);
    while (this.maybeSendAppend(m.from, pr, false));
  }

  private sendAppend(to: string, pr: Progress): void {
    this.maybeSendAppend(to, pr, true);
  }

  private maybeSendAppend(to: string, pr: Progress, sendIfEmpty: boolean): boolean {
    const { id, log, config } = this.host;
    if (pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    if (prevIndex > log.lastIndex()) return false;
    const prevTerm = log.term(prevIndex);
    if (prevTerm === undefined) return this.maybeSendSnapshot(to, pr);
    const entries = log.entriesFrom(pr.next, config.maxSizePerMsgBytes);
    if (entries.length === 0 && !sendIfEmpty) return false;
    const term = this.host.term();
    this.host.send({ type: 'append', from: id, to, term, index: prevIndex, logTerm: prevTerm, entries, commit: log.committed });
    pr.sentEntries(entries.length, prevIndex + entries.length);
    return true;
  }

  /** The follower needs compacted entries: ask it to sync blocks up to our compaction point. */
  private maybeSendSnapshot(to: string, pr: Progress): boolean {
    // Only for a follower we recently heard from: no point asking a dead node to sync.
    if (!pr.recentActive) return false;
    const log = this.host.log;
    const snapshotIndex = log.firstIndex() - 1;
    const snapshotTerm = log.term(snapshotIndex) ?? 0;
    pr.becomeSnapshot(snapshotIndex);
    this.host.send({ type: 'snapshot', from: this.host.id, to, term: this.host.term(), snapshotIndex, snapshotTerm });
    return true;
  }
}
