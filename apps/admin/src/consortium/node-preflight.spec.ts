import { describe, expect, it } from 'vitest';
import { preflightNodeChange, quorumOf, type ChainNode, type NodeChangeRequest, type NodeHealth, type PreflightInput } from './node-preflight.js';

const voter = (nodeId: string): ChainNode => ({ nodeId, role: 'voter', spkiSha256: `spki-${nodeId}`, p2pAddress: `${nodeId}:7000` });
const learner = (nodeId: string): ChainNode => ({ ...voter(nodeId), role: 'learner' });
const observer = (nodeId: string): ChainNode => ({ ...voter(nodeId), role: 'observer' });
const removed = (nodeId: string): ChainNode => ({ ...voter(nodeId), role: 'removed' });

const FOUR = ['v1', 'v2', 'v3', 'v4'].map(voter);
const FIVE = ['v1', 'v2', 'v3', 'v4', 'v5'].map(voter);

/** Every named node live at `height`, except the dead ones; heights override per node. */
function health(ids: readonly string[], options: { dead?: string[]; height?: number; heights?: Record<string, number> } = {}): Map<string, NodeHealth> {
  return new Map(
    ids.map((id) => [id, options.dead?.includes(id) ? { reachable: false } : { reachable: true, height: options.heights?.[id] ?? options.height ?? 100 }]),
  );
}

const ALL = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'];
const add = (nodeId: string, role: 'learner' | 'observer' = 'learner', extra: { spkiSha256?: string; p2pAddress?: string } = {}): NodeChangeRequest => ({ kind: 'add', nodeId, role, ...extra });
const promote = (nodeId: string): NodeChangeRequest => ({ kind: 'promote', nodeId });
const remove = (nodeId: string): NodeChangeRequest => ({ kind: 'remove', nodeId });

interface Case {
  name: string;
  input: Omit<PreflightInput, 'health'> & { health?: Map<string, NodeHealth> };
  /** Expected refusal code, or undefined when the change may go. */
  code?: string;
  /** Numbers or names the message must mention. */
  mentions?: string[];
}

const CASES: Case[] = [
  // Raft, n = 4 → 5 → 4, everyone live.
  { name: 'raft 4: add a learner', input: { consensus: 'raft', nodes: FOUR, change: add('v5') } },
  { name: 'raft 4: add an observer', input: { consensus: 'raft', nodes: FOUR, change: add('o1', 'observer') } },
  { name: 'raft 4 + learner: promote it (5 voters, 5 live)', input: { consensus: 'raft', nodes: [...FOUR, learner('v5')], change: promote('v5') } },
  { name: 'raft 5: remove one (4 voters, 4 live)', input: { consensus: 'raft', nodes: FIVE, change: remove('v5') } },
  // Raft with dead nodes.
  { name: 'raft 4, 2 dead: cannot commit anything (2 of 4, needs 3)', input: { consensus: 'raft', nodes: FOUR, health: health(ALL, { dead: ['v3', 'v4'] }), change: add('v5') }, code: 'QUORUM_AT_RISK', mentions: ['2 of 4', 'needs 3', 'v3, v4'] },
  { name: 'raft 4, 1 dead: add a learner (3 of 4 commit it)', input: { consensus: 'raft', nodes: FOUR, health: health(ALL, { dead: ['v4'] }), change: add('v5') } },
  { name: 'raft 5, 2 dead: remove a live voter leaves 2 of 4, needs 3', input: { consensus: 'raft', nodes: FIVE, health: health(ALL, { dead: ['v4', 'v5'] }), change: remove('v1') }, code: 'QUORUM_AT_RISK', mentions: ['removing v1', '2 live voters of 4', 'needs 3'] },
  { name: 'raft 5, 2 dead: remove a dead voter leaves 3 of 4', input: { consensus: 'raft', nodes: FIVE, health: health(ALL, { dead: ['v4', 'v5'] }), change: remove('v5') } },
  { name: 'raft 4, 1 dead: promote a live learner (5 voters, 4 live, needs 3)', input: { consensus: 'raft', nodes: [...FOUR, learner('v5')], health: health(ALL, { dead: ['v4'] }), change: promote('v5') } },
  { name: 'raft 2: remove one, the other decides alone', input: { consensus: 'raft', nodes: FOUR.slice(0, 2), change: remove('v2') } },
  { name: 'raft 3, 1 dead: remove a live one leaves 1 of 2, needs 2', input: { consensus: 'raft', nodes: FOUR.slice(0, 3), health: health(ALL, { dead: ['v3'] }), change: remove('v1') }, code: 'QUORUM_AT_RISK', mentions: ['1 live voters of 2', 'raft needs 2'] },
  // PBFT, n = 4 → 5 → 4.
  { name: 'pbft 4: add a learner', input: { consensus: 'pbft', nodes: FOUR, change: add('v5') } },
  { name: 'pbft 4 + learner: promote it (5 voters, quorum 4, 5 live)', input: { consensus: 'pbft', nodes: [...FOUR, learner('v5')], change: promote('v5') } },
  { name: 'pbft 5: remove one (4 voters, quorum 3)', input: { consensus: 'pbft', nodes: FIVE, change: remove('v5') } },
  // PBFT with dead nodes: its quorum is larger than a majority at n = 5.
  { name: 'pbft 4, 1 dead: promote a live learner leaves 4 live of 5, quorum 4', input: { consensus: 'pbft', nodes: [...FOUR, learner('v5')], health: health(ALL, { dead: ['v4'] }), change: promote('v5') } },
  { name: 'pbft 4, 2 dead: cannot commit (2 of 4, needs 3)', input: { consensus: 'pbft', nodes: [...FOUR, learner('v5')], health: health(ALL, { dead: ['v3', 'v4'] }), change: promote('v5') }, code: 'QUORUM_AT_RISK', mentions: ['2 of 4', 'pbft needs 3'] },
  { name: 'pbft 5, 2 dead: cannot commit (3 of 5, needs 4), raft could', input: { consensus: 'pbft', nodes: FIVE, health: health(ALL, { dead: ['v4', 'v5'] }), change: remove('v5') }, code: 'QUORUM_AT_RISK', mentions: ['3 of 5', 'needs 4'] },
  { name: 'raft 5, 2 dead: the same removal commits under raft', input: { consensus: 'raft', nodes: FIVE, health: health(ALL, { dead: ['v4', 'v5'] }), change: remove('v5') } },
  { name: 'pbft 5, 1 dead: remove a live voter leaves 3 of 4, quorum 3', input: { consensus: 'pbft', nodes: FIVE, health: health(ALL, { dead: ['v5'] }), change: remove('v1') } },
  { name: 'pbft 4, 1 dead: remove a live voter leaves 2 of 3, needs 2', input: { consensus: 'pbft', nodes: FOUR, health: health(ALL, { dead: ['v4'] }), change: remove('v1') } },
  { name: 'pbft 3 + dead learner: refused as not caught up before any quorum arithmetic', input: { consensus: 'pbft', nodes: [...FOUR.slice(0, 3), learner('v4')], health: health(ALL, { dead: ['v4'] }), change: promote('v4') }, code: 'LEARNER_BEHIND', mentions: ['unreachable'] },
  // Learners that have not caught up.
  { name: 'learner 10 blocks behind', input: { consensus: 'raft', nodes: [...FOUR, learner('v5')], health: health(ALL, { heights: { v5: 90 } }), change: promote('v5') }, code: 'LEARNER_BEHIND', mentions: ['height 90', '10 blocks behind', '(100)'] },
  { name: 'learner 3 blocks behind is close enough', input: { consensus: 'raft', nodes: [...FOUR, learner('v5')], health: health(ALL, { heights: { v5: 97 } }), change: promote('v5') } },
  { name: 'learner behind a stricter limit', input: { consensus: 'raft', nodes: [...FOUR, learner('v5')], health: health(ALL, { heights: { v5: 99 } }), change: promote('v5'), maxLearnerLag: 0 }, code: 'LEARNER_BEHIND' },
  { name: 'the highest live voter sets the bar', input: { consensus: 'raft', nodes: [...FOUR, learner('v5')], health: health(ALL, { heights: { v1: 120, v5: 100 } }), change: promote('v5') }, code: 'LEARNER_BEHIND', mentions: ['20 blocks behind'] },
  // One change at a time.
  { name: 'a previous change is not committed', input: { consensus: 'raft', nodes: FOUR, change: add('v5'), pendingChange: 'node-add v6 (tx ab12) is pending' }, code: 'NODE_CHANGE_PENDING', mentions: ['node-add v6'] },
  // The chain's own rules.
  { name: 'remove the last voter', input: { consensus: 'raft', nodes: [voter('v1'), learner('v2')], change: remove('v1') }, code: 'LAST_VOTER' },
  { name: 'remove a learner with one voter left', input: { consensus: 'raft', nodes: [voter('v1'), learner('v2')], change: remove('v2') } },
  { name: 'promote an unknown node', input: { consensus: 'raft', nodes: FOUR, change: promote('ghost') }, code: 'NODE_UNKNOWN' },
  { name: 'remove an unknown node', input: { consensus: 'pbft', nodes: FOUR, change: remove('ghost') }, code: 'NODE_UNKNOWN' },
  { name: 'promote a voter', input: { consensus: 'raft', nodes: FOUR, change: promote('v1') }, code: 'NODE_NOT_LEARNER' },
  { name: 'promote an observer', input: { consensus: 'raft', nodes: [...FOUR, observer('o1')], change: promote('o1') }, code: 'NODE_NOT_LEARNER', mentions: ['observer'] },
  { name: 'add a node already there', input: { consensus: 'raft', nodes: [...FOUR, learner('v5')], change: add('v5') }, code: 'NODE_EXISTS', mentions: ['learner'] },
  { name: 'add a node with a live node\'s TLS identity', input: { consensus: 'raft', nodes: FOUR, change: add('v5', 'learner', { spkiSha256: 'spki-v2' }) }, code: 'NODE_EXISTS', mentions: ['v2'] },
  { name: 'add a node with a live node\'s p2p address', input: { consensus: 'raft', nodes: FOUR, change: add('v5', 'observer', { p2pAddress: 'v3:7000' }) }, code: 'NODE_EXISTS' },
  { name: 'a removed node\'s identity may be reused by a new id', input: { consensus: 'raft', nodes: [...FOUR, removed('v5')], change: add('v6', 'learner', { spkiSha256: 'spki-v5', p2pAddress: 'v5:7000' }) } },
  { name: 'a removed id is never reused', input: { consensus: 'raft', nodes: [...FOUR, removed('v5')], change: add('v5') }, code: 'NODE_REMOVED' },
  { name: 'remove a removed node', input: { consensus: 'raft', nodes: [...FOUR, removed('v5')], change: remove('v5') }, code: 'NODE_REMOVED' },
  { name: 'removed nodes do not count as voters', input: { consensus: 'raft', nodes: [voter('v1'), removed('v2')], change: remove('v1') }, code: 'LAST_VOTER' },
];

describe('preflightNodeChange', () => {
  it.each(CASES)('$name', ({ input, code, mentions }) => {
    const refusal = preflightNodeChange({ health: health(ALL), ...input });
    if (code === undefined) {
      expect(refusal).toBeUndefined();
      return;
    }
    expect(refusal?.code).toBe(code);
    for (const text of mentions ?? []) expect(refusal!.message).toContain(text);
  });

  it('treats a node the poller has never seen as unreachable', () => {
    const refusal = preflightNodeChange({ consensus: 'raft', nodes: FOUR, health: health(['v1']), change: add('v5') });
    expect(refusal).toMatchObject({ code: 'QUORUM_AT_RISK' });
    expect(refusal!.message).toContain('1 of 4');
  });
});

describe('quorumOf', () => {
  it('is a majority for raft and the PBFT engine quorum for pbft', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => quorumOf('raft', n))).toEqual([1, 2, 2, 3, 3, 4, 4]);
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => quorumOf('pbft', n))).toEqual([1, 2, 2, 3, 4, 4, 5]);
  });
});
