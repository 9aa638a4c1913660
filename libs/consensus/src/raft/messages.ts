import type { RaftEntry } from './types.js';

/**
 * The messages Raft nodes exchange: plain typed objects discriminated by `type`, so a driver can
 * encode them (see `encodeRaftMessage`) and route them by `to`.
 */

/** Fields every message carries. */
interface MessageBase {
  readonly from: string;
  readonly to: string;
  /** Sender's term (for a vote response: the term of the request being answered). */
  readonly term: number;
}

/** Leader → follower: entries following (index, logTerm), plus the leader's commit index. */
export interface AppendMessage extends MessageBase {
  readonly type: 'append';
  /** Index of the entry immediately preceding `entries`. */
  readonly index: number;
  /** Term of the entry at `index`. */
  readonly logTerm: number;
  readonly entries: readonly RaftEntry[];
  readonly commit: number;
}

/**
 * Follower → leader. Accepted: `index` is the follower's last matching index. Rejected: `index`
 * echoes the rejected append's `index`, and (`rejectHint`, `logTerm`) is the follower's best
 * guess of where the logs may match, so the leader can skip a whole term per round trip.
 */
export interface AppendResponseMessage extends MessageBase {
  readonly type: 'appendResponse';
  readonly index: number;
  readonly reject: boolean;
  readonly rejectHint: number;
  readonly logTerm: number;
}

/** Candidate → voter. For `preVote`, `term` is the term the candidate would campaign in. */
export interface VoteMessage extends MessageBase {
  readonly type: 'vote' | 'preVote';
  /** Candidate's last log index. */
  readonly index: number;
  /** Candidate's last log term. */
  readonly logTerm: number;
}

/** Voter → candidate. */
export interface VoteResponseMessage extends MessageBase {
  readonly type: 'voteResponse' | 'preVoteResponse';
  readonly reject: boolean;
}

/** Leader → follower keep-alive; `commit` is capped at what the follower is known to match. */
export interface HeartbeatMessage extends MessageBase {
  readonly type: 'heartbeat';
  readonly commit: number;
}

/** Follower → leader acknowledgement of a heartbeat. */
export interface HeartbeatResponseMessage extends MessageBase {
  readonly type: 'heartbeatResponse';
}

/**
 * Leader → follower: the entries this follower needs were compacted away. The follower must
 * fetch committed blocks up to (`snapshotIndex`, `snapshotTerm`) out of band and then call
 * `RaftNode.restoreFrom`.
 */
export interface SnapshotMessage extends MessageBase {
  readonly type: 'snapshot';
  readonly snapshotIndex: number;
  readonly snapshotTerm: number;
}

/** Any Raft message. */
export type RaftMessage =
  | AppendMessage
  | AppendResponseMessage
  | VoteMessage
  | VoteResponseMessage
  | HeartbeatMessage
  | HeartbeatResponseMessage
  | SnapshotMessage;

/** The discriminator values of `RaftMessage`. */
export type RaftMessageType = RaftMessage['type'];

/** All message types, in wire-enum order (the codec relies on this order; append only). */
export const RAFT_MESSAGE_TYPES: readonly RaftMessageType[] = Object.freeze([
  'append',
  'appendResponse',
  'vote',
  'voteResponse',
  'preVote',
  'preVoteResponse',
  'heartbeat',
  'heartbeatResponse',
  'snapshot',
]);
