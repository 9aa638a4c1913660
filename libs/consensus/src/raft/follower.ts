import type { RaftLog } from './log.js';
import type { AppendMessage, AppendResponseMessage, SnapshotMessage } from './messages.js';
import type { SnapshotMeta } from './types.js';

// A follower's answers to its leader's appends and sync requests, as functions of the log: the
// Raft state machine sends what they return and keeps what they decide.

/** A follower's pending out-of-band sync to a compaction point of the leader. */
export interface SyncTarget extends SnapshotMeta {
  readonly leaderId: string;
}

/** An accepting append response: `from` holds the leader's log up to `index`. */
export function appendResponse(from: string, to: string, term: number, index: number): AppendResponseMessage {
  return { type: 'appendResponse', from, to, term, index, reject: false, rejectHint: 0, logTerm: 0 };
}

/**
 * Appends the leader's entries when they attach to the log (§5.3). A rejection carries a hint
 * (the last index of the conflicting term, as etcd's findConflictByTerm) so the leader skips a
 * whole term per round trip instead of one entry.
 */
export function answerAppend(log: RaftLog, self: string, term: number, m: AppendMessage): AppendResponseMessage {
  if (m.index < log.committed) return appendResponse(self, m.from, term, log.committed);
  const lastMatch = log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
  if (lastMatch !== undefined) return appendResponse(self, m.from, term, lastMatch);
  const hint = log.findConflictByTerm(Math.min(m.index, log.lastIndex()), m.logTerm);
  return { ...appendResponse(self, m.from, term, m.index), reject: true, rejectHint: hint.index, logTerm: hint.term };
}

/**
 * The leader asks for an out-of-band sync to its compaction point. Already there: answer at
 * once. Otherwise the request becomes (or refreshes) the pending sync the application runs; a
 * repeated request is surfaced again, since the leader re-sends only when the last sync stalled.
 */
export function answerSyncRequest(
  log: RaftLog,
  self: string,
  term: number,
  m: SnapshotMessage,
  pending: SyncTarget | undefined,
): { response?: AppendResponseMessage; pendingSync?: SyncTarget } {
  if (m.snapshotIndex <= log.committed) return { response: appendResponse(self, m.from, term, log.committed) };
  if (log.matchTerm(m.snapshotIndex, m.snapshotTerm)) {
    log.commitTo(m.snapshotIndex);
    return { response: appendResponse(self, m.from, term, log.committed) };
  }
  if (pending === undefined || pending.index <= m.snapshotIndex) return { pendingSync: { index: m.snapshotIndex, term: m.snapshotTerm, leaderId: m.from } };
  return {};
}
