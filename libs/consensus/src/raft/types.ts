import { AccordError } from '#common';

/**
 * Core value types of the Raft state machine. Indexes and terms are plain numbers (safe up to
 * 2^53, far beyond any realistic chain height or term).
 */

/** Sentinel for "no node" in `vote` and `leaderId` fields. */
export const NO_NODE = '';

/** One log entry. `data` is opaque to Raft (an encoded block); a no-op entry has empty data. */
export interface RaftEntry {
  readonly term: number;
  readonly index: number;
  readonly data: Uint8Array;
}

/** The state a node must persist before sending the messages of the same `RaftReady`. */
export interface HardState {
  readonly term: number;
  /** The candidate voted for in `term`, or `NO_NODE`. */
  readonly vote: string;
  /** Highest index known committed (persisted so a restart does not re-learn it slowly). */
  readonly commit: number;
}

/** The (index, term) of the last entry folded into the application state and dropped from the log. */
export interface SnapshotMeta {
  readonly index: number;
  readonly term: number;
}

/** The roles of a Raft node. `preCandidate` only exists with pre-vote enabled. */
export type RaftRole = 'follower' | 'preCandidate' | 'candidate' | 'leader';

/** Volatile state a driver may want to observe (not persisted). */
export interface SoftState {
  /** Leader id as far as this node knows, or `NO_NODE`. */
  readonly leaderId: string;
  readonly role: RaftRole;
}

/** Tunables of a Raft node. All durations are in ticks; the driver decides the tick length. */
export interface RaftConfig {
  /**
   * Ticks without hearing from a leader before a follower campaigns. The actual timeout is
   * randomized in [electionTicks, 2 * electionTicks) each time a node changes role.
   */
  readonly electionTicks: number;
  /** Ticks between leader heartbeats; must be smaller than `electionTicks`. */
  readonly heartbeatTicks: number;
  /** Maximum append messages in flight to one follower in replicate state. */
  readonly maxInflightMsgs: number;
  /** Soft cap on entry bytes per append (at least one entry is always sent). */
  readonly maxSizePerMsgBytes: number;
  /** Run a pre-vote round before incrementing the term, so a partitioned node cannot disrupt. */
  readonly preVote: boolean;
  /** Leader steps down without a quorum of recent contact; followers honour a leader lease. */
  readonly checkQuorum: boolean;
}

/** A sensible default configuration (10 ticks election, heartbeat every tick). */
export const DEFAULT_RAFT_CONFIG: Readonly<RaftConfig> = Object.freeze({
  electionTicks: 10,
  heartbeatTicks: 1,
  maxInflightMsgs: 64,
  maxSizePerMsgBytes: 1024 * 1024,
  preVote: true,
  checkQuorum: true,
});

/** Byte size of an entry for flow-control purposes. */
export function entrySizeBytes(entry: RaftEntry): number {
  return entry.data.byteLength + 16;
}

/** True when two hard states are equal field by field. */
export function hardStateEquals(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

/** Returns `config` if usable; throws `RAFT_INVALID_CONFIG` otherwise. */
export function validateRaftConfig(config: RaftConfig): RaftConfig {
  const positive = ['electionTicks', 'heartbeatTicks', 'maxInflightMsgs', 'maxSizePerMsgBytes'] as const;
  for (const key of positive) {
    if (!Number.isInteger(config[key]) || config[key] <= 0) {
      throw new AccordError('RAFT_INVALID_CONFIG', `${key} must be a positive integer, got ${config[key]}`);
    }
  }
  if (config.heartbeatTicks >= config.electionTicks) {
    throw new AccordError('RAFT_INVALID_CONFIG', 'heartbeatTicks must be smaller than electionTicks');
  }
  return config;
}
