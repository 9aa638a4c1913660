import { nodeSetOf, type NetworkNode, type StateReader } from '#chain';
import type { ConsensusValidator } from '../sync/leader-signature.js';

/**
 * The voters of a ledger state with their consensus keys: who may sign the next block. Read at
 * the parent of the block being checked, so a block is judged by the set that was in force.
 */
export function votersOf(state: Pick<StateReader, 'node' | 'nodeIds'>): ConsensusValidator[] {
  return nodeSetOf(state).voters.map((nodeId) => ({ nodeId, consensusPublicKey: (state.node(nodeId) as NetworkNode).consensusPublicKey }));
}
