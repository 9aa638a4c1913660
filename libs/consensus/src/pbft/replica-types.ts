import type {
  CheckpointMessage,
  CommitMessage,
  PbftAuthenticator,
  PbftMessage,
  PreparedCertificate,
  ProposalValidator,
  ValidatorId,
} from './types.js';

/** Configuration of one PBFT replica. */
export interface PbftConfig {
  readonly chainId: string;
  /** This node's validator id; must be in `validators`. */
  readonly selfId: ValidatorId;
  /** All validators in genesis order; `validators[view mod n]` is the primary of `view`. */
  readonly validators: readonly ValidatorId[];
  readonly authenticator: PbftAuthenticator;
  readonly validateProposal: ProposalValidator;
  /** The application's block hash; lets replicas check blocks inside certificates match their digests. */
  readonly blockDigest: (block: Uint8Array) => Uint8Array;
  /** K: a checkpoint is taken at every height that is a multiple of K. */
  readonly checkpointIntervalHeights: number;
  /** Height at which `validators` took over (see PbftVerificationContext.epochHeight); default 0. */
  readonly epochHeight?: number;
  /** Heights accepted above the stable checkpoint (the high watermark); default 2K. */
  readonly watermarkWindowHeights?: number;
  /** Ticks without a commit before a replica asks for a view change; doubles per failed view. */
  readonly viewChangeTimeoutTicks: number;
  /** Cap on the number of timeout doublings; default 4 (16x the base timeout). */
  readonly maxTimeoutDoublings?: number;
  /** Ticks between re-sends of this replica's current votes, so lost messages heal; default timeout / 2. */
  readonly retransmitIntervalTicks?: number;
  /** Views ahead of the current one whose normal-case and view-change messages are buffered; default 8. */
  readonly maxFutureViews?: number;
  /**
   * Replaces the quorum size. Only for fault-injection tests that must show the safety checker
   * can fail: anything below `quorumSize(n)` breaks safety.
   */
  readonly quorumOverride?: number;
}

/** Why an incoming message was dropped; each reason has a counter. */
export type PbftDropReason =
  | 'malformed'
  | 'not-validator'
  | 'own-message'
  | 'bad-signature'
  | 'stale-view'
  | 'future-view'
  | 'outside-watermarks'
  | 'repeated'
  | 'equivocation'
  | 'not-primary'
  | 'invalid-proposal'
  | 'invalid-view-change'
  | 'invalid-new-view'
  | 'stale-height';

/** Every drop reason, for building counters and metrics labels. */
export const PBFT_DROP_REASONS: readonly PbftDropReason[] = [
  'malformed',
  'not-validator',
  'own-message',
  'bad-signature',
  'stale-view',
  'future-view',
  'outside-watermarks',
  'repeated',
  'equivocation',
  'not-primary',
  'invalid-proposal',
  'invalid-view-change',
  'invalid-new-view',
  'stale-height',
];

/** A vote this replica cast; persisted so a restarted replica never votes twice differently. */
export interface OwnVote {
  readonly type: 'pre-prepare' | 'prepare' | 'commit';
  readonly view: number;
  readonly height: number;
  readonly digest: Uint8Array;
}

/** The last stable checkpoint and its proof. */
export interface StableCheckpoint {
  readonly height: number;
  /** Block digest at `height` (empty for genesis). */
  readonly digest: Uint8Array;
  readonly proof: readonly CheckpointMessage[];
}

/**
 * What a replica must persist (before sending the messages of the same Ready) to rejoin safely
 * after a restart; pass it back to the `PbftReplica` constructor.
 */
export interface PbftPersistentState {
  readonly view: number;
  /** True while waiting for the NEW-VIEW of `view`. */
  readonly viewChanging: boolean;
  readonly lastCommittedHeight: number;
  readonly stableCheckpoint: StableCheckpoint;
  /** Digests committed above the stable checkpoint, ascending (to vote on re-proposals of them). */
  readonly recentCommits: readonly { readonly height: number; readonly digest: Uint8Array }[];
  /** Highest-view prepared certificate per height above the stable checkpoint, ascending. */
  readonly preparedCertificates: readonly PreparedCertificate[];
  /** Votes cast at heights above the last committed one. */
  readonly votes: readonly OwnVote[];
}

/** A block this replica committed, with the quorum of COMMITs that proves it. */
export interface CommittedBlock {
  readonly height: number;
  /** The view whose COMMITs form the certificate. */
  readonly view: number;
  readonly digest: Uint8Array;
  readonly block: Uint8Array;
  readonly certificate: readonly CommitMessage[];
}

/**
 * A batch of work for the driver, handled in this order:
 * 1. persist `persist` (if present);
 * 2. broadcast `messages` to every other validator (only now: they may depend on step 1);
 * 3. apply `committed` blocks, in order, and store their certificates;
 * 4. if `needSyncHeight` is set, fetch blocks up to it from peers and feed them to
 *    `deliverSyncedBlock`;
 * 5. call `advance(ready)`.
 */
export interface PbftReady {
  readonly messages: readonly PbftMessage[];
  readonly persist?: PbftPersistentState;
  readonly committed: readonly CommittedBlock[];
  /** The network committed at least up to this height, which this replica cannot reach by itself. */
  readonly needSyncHeight?: number;
}

/** A block fetched from a peer during sync. */
export interface SyncedBlock {
  readonly height: number;
  readonly digest: Uint8Array;
  readonly block: Uint8Array;
  readonly certificate: readonly CommitMessage[];
}

/** Result of an input the core may refuse. */
export type PbftInputResult = { readonly ok: true } | { readonly ok: false; readonly code: string };
