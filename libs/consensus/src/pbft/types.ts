/**
 * Message and configuration types of the PBFT core. Messages are plain immutable objects (a
 * discriminated union on `type`) so they can be logged, compared and encoded without classes.
 */

/** A validator's stable identifier, as listed in genesis. */
export type ValidatorId = string;

/** Fields every consensus message carries: who sent it and its signature over the signing bytes. */
export interface SignedFields {
  /** The validator that created and signed the message. */
  readonly sender: ValidatorId;
  /** Signature over `signingBytes(chainId, message)`; see signing.ts. */
  readonly signature: Uint8Array;
}

/** The primary's proposal of a block for `height` in `view`. */
export interface PrePrepareMessage extends SignedFields {
  readonly type: 'pre-prepare';
  readonly view: number;
  readonly height: number;
  /** Block digest as computed by the application; the signature covers this, not the bytes. */
  readonly digest: Uint8Array;
  /** The proposed block, opaque to consensus. */
  readonly block: Uint8Array;
}

/** A replica's vote that it accepted the pre-prepare for (view, height, digest). */
export interface PrepareMessage extends SignedFields {
  readonly type: 'prepare';
  readonly view: number;
  readonly height: number;
  readonly digest: Uint8Array;
}

/** A replica's vote that (view, height, digest) is prepared at a quorum. */
export interface CommitMessage extends SignedFields {
  readonly type: 'commit';
  readonly view: number;
  readonly height: number;
  readonly digest: Uint8Array;
}

/** A replica's statement that it committed the block `digest` at `height` (a multiple of K). */
export interface CheckpointMessage extends SignedFields {
  readonly type: 'checkpoint';
  readonly height: number;
  readonly digest: Uint8Array;
}

/** Proof that a block was prepared: the pre-prepare plus a quorum-minus-one of prepares. */
export interface PreparedCertificate {
  readonly prePrepare: PrePrepareMessage;
  readonly prepares: readonly PrepareMessage[];
}

/** A replica's request to move to `view`, carrying what it prepared above its stable checkpoint. */
export interface ViewChangeMessage extends SignedFields {
  readonly type: 'view-change';
  /** The view the sender wants to enter. */
  readonly view: number;
  /** Height of the sender's last stable checkpoint (0 = genesis, needs no proof). */
  readonly stableHeight: number;
  /** A quorum of matching checkpoint messages for `stableHeight`. */
  readonly checkpointProof: readonly CheckpointMessage[];
  /** The highest-view prepared certificate per height above `stableHeight`. */
  readonly prepared: readonly PreparedCertificate[];
}

/** The new primary's announcement of `view`, justified by a quorum of view-changes. */
export interface NewViewMessage extends SignedFields {
  readonly type: 'new-view';
  readonly view: number;
  readonly viewChanges: readonly ViewChangeMessage[];
  /** Re-proposals in `view`, exactly as `computeReproposals` derives them from `viewChanges`. */
  readonly prePrepares: readonly PrePrepareMessage[];
}

/** Any PBFT consensus message. */
export type PbftMessage =
  | PrePrepareMessage
  | PrepareMessage
  | CommitMessage
  | CheckpointMessage
  | ViewChangeMessage
  | NewViewMessage;

/** The `type` tag of a PBFT message. */
export type PbftMessageType = PbftMessage['type'];

/** The 2f+1 signed COMMIT messages (same view, height and digest) that finalise a block. */
export type CommitCertificate = readonly CommitMessage[];

/**
 * Signs this node's messages and verifies other validators' signatures. Production uses
 * `Secp256k1Authenticator`; simulations may inject a cheaper one that still rejects forgeries.
 */
export interface PbftAuthenticator {
  /** Signs `bytes` with this node's consensus key. */
  sign(bytes: Uint8Array): Uint8Array;
  /** True when `signature` is `validatorId`'s valid signature over `bytes`; never throws. */
  verify(validatorId: ValidatorId, bytes: Uint8Array, signature: Uint8Array): boolean;
}

/** Context handed to the application with a proposal to validate. */
export interface ProposalContext {
  /** The view of the pre-prepare carrying the block. */
  readonly view: number;
  /** The primary of that view (the expected proposer of a fresh block). */
  readonly primary: ValidatorId;
  /**
   * True when the block is re-proposed by a NEW-VIEW: it was prepared in an earlier view, so its
   * proposer is an earlier primary and must not be required to equal `primary`.
   */
  readonly reproposed: boolean;
}

/** The application's verdict on a proposed block. */
export type ProposalVerdict = { readonly ok: true; readonly digest: Uint8Array } | { readonly ok: false; readonly code: string };

/**
 * Validates a proposed block against the application state at `height - 1` (parent, proposer,
 * every transaction, state root) and returns its digest. Called only for `height` equal to the
 * last committed height + 1, so the parent is always known.
 */
export type ProposalValidator = (height: number, block: Uint8Array, context: ProposalContext) => ProposalVerdict;
