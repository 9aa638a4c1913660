import type { PbftPersistentState } from '../pbft/replica-types.js';
import type { ValidatorId } from '../pbft/types.js';

/**
 * A PBFT epoch: the validator set in force and the height whose commit put it in force. Every
 * correct replica switches at the same height (after committing the block that changed the
 * set), so certificates above that height are checked against the new set only.
 */
export interface PbftEpoch {
  readonly height: number;
  readonly validators: readonly ValidatorId[];
}

/**
 * The replica state an epoch starts from: the view carries over, everything at or below the
 * epoch height is settled (a stable checkpoint that, like genesis, needs no proof).
 */
export function epochStartState(view: number, height: number, digest: Uint8Array): PbftPersistentState {
  return {
    view,
    viewChanging: false,
    lastCommittedHeight: height,
    stableCheckpoint: { height, digest, proof: [] },
    recentCommits: [],
    preparedCertificates: [],
    votes: [],
  };
}

/** The epoch a ledger state is in: its voters, from the height of the last change to them. */
export function epochOf(set: { voters: readonly ValidatorId[]; votersSince: bigint }): PbftEpoch {
  return { height: Number(set.votersSince), validators: set.voters };
}

/**
 * The replica state to start from: the stored one when it was written in the current epoch
 * (its stable checkpoint is at or above the epoch height), otherwise the epoch's start state
 * (the set changed while this replica was not running, or it was never a voter before).
 */
export function resumeState(stored: PbftPersistentState | undefined, epoch: PbftEpoch, epochDigest: Uint8Array): PbftPersistentState | undefined {
  if (stored ? stored.stableCheckpoint.height >= epoch.height : epoch.height === 0) return stored;
  return epochStartState(stored?.view ?? 0, epoch.height, epochDigest);
}
