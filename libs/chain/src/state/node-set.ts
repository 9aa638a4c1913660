import type { NetworkNode } from './entries.js';
import type { StateReader } from './world-state.js';

/** The live nodes of a network by role, each list sorted by node id (the order every node agrees on). */
export interface NodeSet {
  voters: readonly string[];
  learners: readonly string[];
  observers: readonly string[];
  /**
   * Height of the last change to the voters (a promotion or a removal; 0 if none): the height
   * from which the current voters decide. Every node derives the same value from the state.
   */
  votersSince: bigint;
}

/** The node set of `state`. */
export function nodeSetOf(state: Pick<StateReader, 'node' | 'nodeIds'>): NodeSet {
  const voters: string[] = [];
  const learners: string[] = [];
  const observers: string[] = [];
  let votersSince = 0n;
  for (const id of [...state.nodeIds()].sort()) {
    const { status, sinceHeight } = state.node(id) as NetworkNode;
    // A removal counts even when the node was a learner or observer: harmless, and the value
    // stays a pure function of the state.
    if ((status === 'voter' || status === 'removed') && sinceHeight > votersSince) votersSince = sinceHeight;
    if (status === 'voter') voters.push(id);
    else if (status === 'learner') learners.push(id);
    else if (status === 'observer') observers.push(id);
  }
  return { voters, learners, observers, votersSince };
}

/** Whether two lists hold the same ids in the same order. */
export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** Whether two node sets are the same. */
export function sameNodeSet(a: NodeSet, b: NodeSet): boolean {
  return a.votersSince === b.votersSince && sameIds(a.voters, b.voters) && sameIds(a.learners, b.learners) && sameIds(a.observers, b.observers);
}

/** The role `nodeId` plays in `set`, or undefined when it is not a live node. */
export function roleIn(set: NodeSet, nodeId: string): 'voter' | 'learner' | 'observer' | undefined {
  if (set.voters.includes(nodeId)) return 'voter';
  if (set.learners.includes(nodeId)) return 'learner';
  if (set.observers.includes(nodeId)) return 'observer';
  return undefined;
}
