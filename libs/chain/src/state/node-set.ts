import type { NetworkNode } from './entries.js';
import type { StateReader } from './world-state.js';

/** The live nodes of a network by role, each list sorted by node id (the order every node agrees on). */
export interface NodeSet {
  voters: readonly string[];
  learners: readonly string[];
  observers: readonly string[];
}

/** The node set of `state`. */
export function nodeSetOf(state: Pick<StateReader, 'node' | 'nodeIds'>): NodeSet {
  const voters: string[] = [];
  const learners: string[] = [];
  const observers: string[] = [];
  for (const id of [...state.nodeIds()].sort()) {
    const status = (state.node(id) as NetworkNode).status;
    if (status === 'voter') voters.push(id);
    else if (status === 'learner') learners.push(id);
    else if (status === 'observer') observers.push(id);
  }
  return { voters, learners, observers };
}

/** Whether two node sets are the same. */
export function sameNodeSet(a: NodeSet, b: NodeSet): boolean {
  const same = (x: readonly string[], y: readonly string[]): boolean => x.length === y.length && x.every((id, i) => id === y[i]);
  return same(a.voters, b.voters) && same(a.learners, b.learners) && same(a.observers, b.observers);
}

/** The role `nodeId` plays in `set`, or undefined when it is not a live node. */
export function roleIn(set: NodeSet, nodeId: string): 'voter' | 'learner' | 'observer' | undefined {
  if (set.voters.includes(nodeId)) return 'voter';
  if (set.learners.includes(nodeId)) return 'learner';
  if (set.observers.includes(nodeId)) return 'observer';
  return undefined;
}
