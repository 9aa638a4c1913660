import { describe, expect, it } from 'vitest';
import type { RaftConfig } from './types.js';
import { entriesWithTerms, newRaft, storageWith, takeMessages, TestNetwork, tickUntilElection } from './testing.js';

/** Pre-vote and check-quorum (Raft thesis §9.6 and §6.2), the leader lease included. */

const THREE = ['1', '2', '3'];
const PRE_VOTE: Partial<RaftConfig> = { preVote: true };
const BOTH: Partial<RaftConfig> = { preVote: true, checkQuorum: true };

function cluster(config: Partial<RaftConfig>): TestNetwork {
  return new TestNetwork(THREE.map((id) => newRaft(id, THREE, { config })));
}

/** Elects 1, isolates 3 for many election timeouts, reconnects it, and runs a while. */
function partitionAndRejoin(config: Partial<RaftConfig>): TestNetwork {
  const net = cluster(config);
  net.elect('1');
  net.isolate('3');
  net.tickAll(100);
  net.recover();
  net.tickAll(30);
  return net;
}

describe('pre-vote', () => {
  it('keeps a partitioned node from inflating its term', () => {
    const net = cluster(PRE_VOTE);
    net.elect('1');
    net.isolate('3');
    net.tickAll(100);
    expect(net.get('3').term).toBe(1);
    expect(net.get('3').role).toBe('preCandidate');
  });

  it('lets a partitioned node rejoin without deposing a healthy leader', () => {
    const net = partitionAndRejoin(BOTH);
    expect(net.get('1').role).toBe('leader');
    expect(net.get('1').term).toBe(1);
    expect(net.get('3').leaderId).toBe('1');
  });

  it('is what protects the leader: without it the rejoining node forces a new term', () => {
    const net = partitionAndRejoin({ preVote: false, checkQuorum: false });
    expect(net.get('1').term).toBeGreaterThan(1);
  });

  it('grants a pre-vote without changing the voter term or vote', () => {
    const voter = newRaft('2', THREE, { config: PRE_VOTE, storage: storageWith([], { term: 1, vote: '3' }) });
    voter.step({ type: 'preVote', from: '1', to: '2', term: 2, index: 0, logTerm: 0 });
    expect(takeMessages(voter)).toEqual([{ type: 'preVoteResponse', from: '2', to: '1', term: 2, reject: false }]);
    expect(voter.term).toBe(1);
    expect(voter.vote).toBe('3');
  });

  it('refuses a pre-vote to a candidate with a stale log', () => {
    const voter = newRaft('2', THREE, { config: PRE_VOTE, storage: storageWith(entriesWithTerms([1, 2]), { term: 2 }) });
    voter.step({ type: 'preVote', from: '1', to: '2', term: 3, index: 5, logTerm: 1 });
    expect(takeMessages(voter)).toEqual([{ type: 'preVoteResponse', from: '2', to: '1', term: 2, reject: true }]);
  });

  it('moves a pre-candidate to a real campaign at term + 1 once a quorum agrees', () => {
    const raft = newRaft('1', THREE, { config: PRE_VOTE });
    tickUntilElection(raft);
    expect(raft.role).toBe('preCandidate');
    expect(takeMessages(raft).map((m) => [m.type, m.term])).toEqual([
      ['preVote', 1],
      ['preVote', 1],
    ]);
    raft.step({ type: 'preVoteResponse', from: '2', to: '1', term: 1, reject: false });
    expect(raft.role).toBe('candidate');
    expect(raft.term).toBe(1);
    expect(takeMessages(raft).map((m) => m.type)).toEqual(['vote', 'vote']);
  });

  it('sends a pre-candidate that loses back to follower in its old term', () => {
    const raft = newRaft('1', THREE, { config: PRE_VOTE });
    tickUntilElection(raft);
    raft.step({ type: 'preVoteResponse', from: '2', to: '1', term: 0, reject: true });
    raft.step({ type: 'preVoteResponse', from: '3', to: '1', term: 0, reject: true });
    expect(raft.role).toBe('follower');
    expect(raft.term).toBe(0);
  });
});

describe('check-quorum', () => {
  it('makes a leader cut off from a quorum step down within two election timeouts', () => {
    const net = cluster({ checkQuorum: true });
    net.elect('1');
    net.isolate('1');
    const leader = net.get('1');
    // The first check still counts the contact from just before the partition.
    for (let t = 0; t < 2 * leader.config.electionTicks - 1; t++) leader.tick();
    expect(leader.role).toBe('leader');
    leader.tick();
    expect(leader.role).toBe('follower');
    expect(leader.term).toBe(1);
  });

  it('keeps a leader that hears from a quorum', () => {
    const net = cluster({ checkQuorum: true });
    net.elect('1');
    net.isolate('3');
    net.tickAll(50);
    expect(net.get('1').role).toBe('leader');
    expect(net.get('1').term).toBe(1);
  });

  it('honours a leader lease: a follower that recently heard from the leader ignores votes', () => {
    const follower = newRaft('2', THREE, { config: { checkQuorum: true } });
    follower.step({ type: 'heartbeat', from: '1', to: '2', term: 1, commit: 0 });
    takeMessages(follower);
    follower.step({ type: 'vote', from: '3', to: '2', term: 2, index: 9, logTerm: 9 });
    expect(takeMessages(follower)).toEqual([]);
    expect(follower.term).toBe(1);
    // Once the lease has run out the request is heard (and granted).
    for (let t = 0; t < follower.config.electionTicks; t++) follower.tick();
    takeMessages(follower);
    follower.step({ type: 'vote', from: '3', to: '2', term: 2, index: 9, logTerm: 9 });
    expect(follower.term).toBe(2);
    expect(follower.vote).toBe('3');
  });

  it('tells a deposed leader its term is over when it rejoins', () => {
    const net = cluster(BOTH);
    net.elect('1');
    net.isolate('1');
    net.tickAll(60);
    const newLeader = [net.get('2'), net.get('3')].find((raft) => raft.role === 'leader');
    expect(newLeader).toBeDefined();
    net.recover();
    net.tickAll(5);
    expect(net.get('1').role).toBe('follower');
    expect(net.get('1').term).toBe(newLeader?.term);
    expect(net.get('1').leaderId).toBe(newLeader?.id);
  });
});

describe('learners', () => {
  it('receive the log but neither vote, campaign nor count towards commit', () => {
    const voters = ['1', '2'];
    const learners = ['3'];
    const net = new TestNetwork(['1', '2', '3'].map((id) => newRaft(id, voters, { learners })));
    const learner = net.get('3');
    for (let t = 0; t < 100; t++) learner.tick();
    expect(learner.role).toBe('follower');
    expect(takeMessages(learner)).toEqual([]);
    net.elect('1');
    expect(net.get('1').role).toBe('leader');
    net.cutBetween('1', '2');
    net.propose('1', 7);
    expect(learner.log.lastIndex()).toBe(2);
    expect(net.get('1').log.committed).toBe(1); // the learner's copy does not make a quorum
    net.recover();
    net.propose('1', 8);
    expect(net.get('1').log.committed).toBe(3);
    net.tickAll(1);
    expect(learner.log.committed).toBe(3);
  });
});

describe('membership changes, one at a time', () => {
  it('a promoted learner counts towards commit; a removed voter stops counting', () => {
    const net = new TestNetwork(['1', '2', '3'].map((id) => newRaft(id, ['1', '2'], { learners: ['3'] })));
    net.elect('1');
    net.propose('1', 7);
    // Promote 3 (every node applies the committed change).
    for (const id of ['1', '2', '3']) net.get(id).applyMembership(['1', '2', '3'], []);
    expect(net.get('1').tracker.quorum).toBe(2);
    net.cutBetween('1', '2');
    net.propose('1', 8);
    expect(net.get('1').log.committed).toBe(3); // 1 and the promoted 3 make a quorum of 3
    net.recover();
    // Remove 2: the quorum of {1, 3} is 2, and 2 no longer counts.
    for (const id of ['1', '2', '3']) net.get(id).applyMembership(['1', '3'], []);
    net.cutBetween('1', '3');
    net.propose('1', 9);
    expect(net.get('1').log.committed).toBe(3); // 2's copy does not help any more
    net.recover();
    net.propose('1', 10);
    expect(net.get('1').log.committed).toBe(5);
  });

  it('a leader removed from the voters steps down and never campaigns again', () => {
    const net = new TestNetwork(['1', '2', '3'].map((id) => newRaft(id, ['1', '2', '3'])));
    net.elect('1');
    for (const id of ['1', '2', '3']) net.get(id).applyMembership(['2', '3'], []);
    const removed = net.get('1');
    expect(removed.role).toBe('follower');
    expect(removed.promotable()).toBe(false);
    for (let t = 0; t < 100; t++) removed.tick();
    expect(takeMessages(removed).filter((m) => m.type === 'vote' || m.type === 'preVote')).toEqual([]);
  });
});
