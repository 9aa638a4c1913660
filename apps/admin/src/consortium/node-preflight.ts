import type { ConsensusType } from '#chain';
import { quorumSize } from '#consensus';

/** A node as the chain's node set reports it. */
export interface ChainNode {
  nodeId: string;
  role: 'voter' | 'learner' | 'observer' | 'removed';
  spkiSha256?: string;
  p2pAddress?: string;
}

/** What the admin's status poll saw of a node. */
export interface NodeHealth {
  reachable: boolean;
  /** Height it reported in `/v1/status`, when it answered. */
  height?: number;
}

/** A requested node-set change. */
export type NodeChangeRequest =
  | { kind: 'add'; nodeId: string; role: 'learner' | 'observer'; spkiSha256?: string; p2pAddress?: string }
  | { kind: 'promote'; nodeId: string }
  | { kind: 'remove'; nodeId: string };

/** Everything the pre-flight check looks at: one snapshot, taken just before submitting. */
export interface PreflightInput {
  consensus: ConsensusType;
  /** The chain's node set (removed nodes included). */
  nodes: readonly ChainNode[];
  /** Health by node id; a node without an entry counts as unreachable. */
  health: ReadonlyMap<string, NodeHealth>;
  /** Why a previous node change is not settled yet (undefined when it is). */
  pendingChange?: string;
  change: NodeChangeRequest;
  /** How many blocks a learner may trail the highest voter and still be promoted. */
  maxLearnerLag?: number;
}

/** Stable codes of a refused change; the chain's own rejection codes where the rule is the chain's. */
export type PreflightCode = 'NODE_CHANGE_PENDING' | 'QUORUM_AT_RISK' | 'LEARNER_BEHIND' | 'LAST_VOTER' | 'NODE_UNKNOWN' | 'NODE_NOT_LEARNER' | 'NODE_EXISTS' | 'NODE_REMOVED';

/** Why a change is refused. */
export interface PreflightRefusal {
  code: PreflightCode;
  message: string;
}

/** Blocks a learner may trail the voters by when promoted: a few blocks of ordinary lag. */
export const DEFAULT_MAX_LEARNER_LAG = 5;

/**
 * Votes a configuration of `voters` needs to decide: a majority for Raft (and solo), the
 * intersecting Byzantine quorum the PBFT engine uses for PBFT.
 */
export function quorumOf(consensus: ConsensusType, voters: number): number {
  return consensus === 'pbft' ? quorumSize(voters) : Math.floor(voters / 2) + 1;
}

const VERB = { add: 'adding', promote: 'promoting', remove: 'removing' } as const;

/**
 * Decides whether a node-set change may be submitted now; undefined when it may. Refuses what
 * the chain would reject (so the admin says why before spending a nonce) and what the chain
 * would accept but the network would not survive: a change while another is in flight, one the
 * live voters cannot commit, one after which the live voters are fewer than the new quorum, and
 * the promotion of a learner that has not caught up.
 */
export function preflightNodeChange(input: PreflightInput): PreflightRefusal | undefined {
  const { change, consensus } = input;
  if (input.pendingChange) return { code: 'NODE_CHANGE_PENDING', message: `one node change at a time: ${input.pendingChange}` };
  const rule = chainRule(input);
  if (rule) return rule;

  const voters = input.nodes.filter((node) => node.role === 'voter').map((node) => node.nodeId);
  const isLive = (nodeId: string): boolean => input.health.get(nodeId)?.reachable === true;
  const liveVoters = voters.filter(isLive);
  if (change.kind === 'promote') {
    const behind = learnerBehind(input, change.nodeId, liveVoters);
    if (behind) return behind;
  }

  // The change itself is committed by the current voters.
  const commitQuorum = quorumOf(consensus, voters.length);
  if (liveVoters.length < commitQuorum) {
    const dead = voters.filter((id) => !isLive(id));
    return {
      code: 'QUORUM_AT_RISK',
      message: `only ${liveVoters.length} of ${voters.length} voters are live (${dead.join(', ')} unreachable); ${consensus} needs ${commitQuorum} to commit ${VERB[change.kind]} ${change.nodeId}`,
    };
  }
  // From then on, the new voters decide.
  let after = voters;
  if (change.kind === 'promote') after = [...voters, change.nodeId];
  if (change.kind === 'remove') after = voters.filter((id) => id !== change.nodeId);
  const liveAfter = after.filter(isLive).length;
  const quorumAfter = quorumOf(consensus, after.length);
  if (liveAfter < quorumAfter) {
    return {
      code: 'QUORUM_AT_RISK',
      message: `${VERB[change.kind]} ${change.nodeId} leaves ${liveAfter} live voters of ${after.length}; ${consensus} needs ${quorumAfter} of ${after.length} to keep committing blocks`,
    };
  }
  return undefined;
}

/** The chain's own rules for the change (libs/chain execute.ts), as refusals. */
function chainRule(input: PreflightInput): PreflightRefusal | undefined {
  const { change } = input;
  const existing = input.nodes.find((node) => node.nodeId === change.nodeId);
  if (change.kind === 'add') {
    if (existing?.role === 'removed') return { code: 'NODE_REMOVED', message: `${change.nodeId} was removed from the network; a node id is never reused` };
    if (existing) return { code: 'NODE_EXISTS', message: `${change.nodeId} is already in the network as a ${existing.role}` };
    const twin = input.nodes.find(
      (node) => node.role !== 'removed' && ((change.spkiSha256 !== undefined && node.spkiSha256 === change.spkiSha256) || (change.p2pAddress !== undefined && node.p2pAddress === change.p2pAddress)),
    );
    if (twin) return { code: 'NODE_EXISTS', message: `${twin.nodeId} already uses the TLS identity or p2p address of ${change.nodeId}` };
    return undefined;
  }
  if (!existing) return { code: 'NODE_UNKNOWN', message: `${change.nodeId} is not in the network's node set` };
  if (existing.role === 'removed') return { code: 'NODE_REMOVED', message: `${change.nodeId} was already removed from the network` };
  if (change.kind === 'promote' && existing.role !== 'learner') return { code: 'NODE_NOT_LEARNER', message: `${change.nodeId} is a ${existing.role}; only a learner can be promoted to voter` };
  if (change.kind === 'remove' && existing.role === 'voter' && input.nodes.filter((node) => node.role === 'voter').length === 1) {
    return { code: 'LAST_VOTER', message: `${change.nodeId} is the last voter; the network needs at least one` };
  }
  return undefined;
}

/** A learner is promoted only once it answers and is within a few blocks of the highest live voter. */
function learnerBehind(input: PreflightInput, nodeId: string, liveVoters: readonly string[]): PreflightRefusal | undefined {
  const learner = input.health.get(nodeId);
  if (!learner?.reachable || learner.height === undefined) return { code: 'LEARNER_BEHIND', message: `learner ${nodeId} is unreachable, so whether it has caught up is unknown` };
  const heights = liveVoters.map((id) => input.health.get(id)?.height).filter((height): height is number => height !== undefined);
  if (heights.length === 0) return undefined;
  const head = Math.max(...heights);
  const lag = head - learner.height;
  const allowed = input.maxLearnerLag ?? DEFAULT_MAX_LEARNER_LAG;
  if (lag > allowed) return { code: 'LEARNER_BEHIND', message: `learner ${nodeId} is at height ${learner.height}, ${lag} blocks behind the voters (${head}); it may be promoted within ${allowed}` };
  return undefined;
}
