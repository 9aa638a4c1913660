import type { ConsensusStatus } from '../engine/engine.js';
import { primaryOf } from '../pbft/quorum.js';

/** What the engine knows when `/v1/status` asks. */
export interface PbftStatusInput {
  view: number;
  viewChanging: boolean;
  /** Voters of the epoch in force. */
  validators: readonly string[];
  nodeId: string;
  /** A committed block removed this node from the voters. */
  retired: boolean;
  commitHeight: bigint;
}

/**
 * The consensus part of `/v1/status`. While a replica is changing views no primary is
 * established: the new view's primary only takes over once a quorum follows, and a replica that
 * timed out alone stays in its view change while the others carry on in the old view. Naming the
 * would-be primary there would send clients (and operators) to a node that is not proposing.
 */
export function pbftStatus(input: PbftStatusInput): ConsensusStatus {
  const primary = input.viewChanging ? undefined : primaryOf(input.validators, input.view);
  return {
    type: 'pbft',
    role: input.retired ? 'observer' : primary === input.nodeId ? 'primary' : 'replica',
    leaderId: primary,
    epoch: String(input.view),
    commitHeight: input.commitHeight.toString(),
  };
}
