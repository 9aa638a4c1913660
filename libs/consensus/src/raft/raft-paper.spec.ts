import { describe, expect, it } from 'vitest';
import type { AppendMessage, AppendResponseMessage, RaftMessage } from './messages.js';
import { Raft } from './raft.js';
import {
  allEntries,
  entriesWithTerms,
  entry,
  newRaft,
  storageWith,
  takeMessages,
  TestNetwork,
  tickUntilElection,
} from './testing.js';
import type { RaftRole } from './types.js';

/** One test per rule of Figure 2 of the Raft paper (after etcd's raft_paper_test.go). */

const THREE = ['1', '2', '3'];
const FIVE = ['1', '2', '3', '4', '5'];

function append(from: string, to: string, term: number, index: number, logTerm: number, entries = [] as AppendMessage['entries'], commit = 0): AppendMessage {
  return { type: 'append', from, to, term, index, logTerm, entries, commit };
}

function appendAck(from: string, to: string, term: number, index: number): AppendResponseMessage {
  return { type: 'appendResponse', from, to, term, index, reject: false, rejectHint: 0, logTerm: 0 };
}

function ofType<T extends RaftMessage['type']>(messages: RaftMessage[], type: T): (RaftMessage & { type: T })[] {
  return messages.filter((m): m is RaftMessage & { type: T } => m.type === type);
}

/** Makes node '1' leader through a real election, with every follower acknowledging the no-op. */
function electedLeader(peers: readonly string[], raft = newRaft('1', peers)): Raft {
  raft.campaignNow();
  for (const m of takeMessages(raft)) raft.step({ type: 'voteResponse', from: m.to, to: '1', term: raft.term, reject: false });
  for (const peer of peers) if (peer !== '1') raft.step(appendAck(peer, '1', raft.term, raft.log.lastIndex()));
  takeMessages(raft);
  return raft;
}

function inRole(role: RaftRole): Raft {
  if (role === 'leader') return electedLeader(THREE);
  const raft = newRaft('1', THREE);
  if (role === 'candidate') raft.campaignNow();
  return raft;
}

describe('Figure 2, all servers', () => {
  it.each(['follower', 'candidate', 'leader'] as const)('a %s seeing a higher term adopts it and becomes follower', (role) => {
    const raft = inRole(role);
    const higher = raft.term + 1;
    raft.step(append('2', '1', higher, 0, 0));
    expect(raft.term).toBe(higher);
    expect(raft.role).toBe('follower');
    expect(raft.leaderId).toBe('2');
    expect(raft.vote).toBe('');
  });

  it('ignores messages from a stale term', () => {
    const raft = newRaft('1', THREE, { storage: storageWith([], { term: 2 }) });
    raft.step(append('2', '1', 1, 0, 0, [entry(1, 1)]));
    raft.step({ type: 'vote', from: '2', to: '1', term: 1, index: 5, logTerm: 1 });
    expect(takeMessages(raft)).toEqual([]);
    expect(raft.term).toBe(2);
    expect(raft.log.lastIndex()).toBe(0);
    expect(raft.vote).toBe('');
  });
});

describe('Figure 2, followers', () => {
  it('start as followers and answer a leader', () => {
    const raft = newRaft('1', THREE);
    expect(raft.role).toBe('follower');
    raft.step({ type: 'heartbeat', from: '2', to: '1', term: 1, commit: 0 });
    expect(takeMessages(raft)).toEqual([{ type: 'heartbeatResponse', from: '1', to: '2', term: 1 }]);
  });

  it('start an election after the election timeout without hearing from a leader', () => {
    const raft = newRaft('1', THREE, { storage: storageWith(entriesWithTerms([1, 1]), { term: 1 }) });
    tickUntilElection(raft);
    expect(raft.role).toBe('candidate');
    expect(raft.term).toBe(2);
    expect(raft.vote).toBe('1');
    expect(takeMessages(raft)).toEqual([
      { type: 'vote', from: '1', to: '2', term: 2, index: 2, logTerm: 1 },
      { type: 'vote', from: '1', to: '3', term: 2, index: 2, logTerm: 1 },
    ]);
  });

  it('do not time out while a leader keeps in touch', () => {
    const raft = newRaft('1', THREE);
    for (let round = 0; round < 5; round++) {
      for (let t = 0; t < raft.config.electionTicks - 1; t++) raft.tick();
      raft.step({ type: 'heartbeat', from: '2', to: '1', term: 1, commit: 0 });
    }
    expect(raft.role).toBe('follower');
    expect(raft.term).toBe(1);
  });

  it('randomize election timeouts within [electionTicks, 2 * electionTicks)', () => {
    const raft = newRaft('1', THREE);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      raft.becomeFollower(raft.term + 1, '');
      seen.add(raft.randomizedElectionTimeout);
    }
    for (const timeout of seen) {
      expect(timeout).toBeGreaterThanOrEqual(10);
      expect(timeout).toBeLessThan(20);
    }
    expect(seen.size).toBeGreaterThan(5);
  });
});

describe('Figure 2, candidates', () => {
  it.each([
    { peers: THREE, grants: ['2'], rejects: [], role: 'leader' },
    { peers: THREE, grants: [], rejects: ['2', '3'], role: 'follower' },
    { peers: THREE, grants: [], rejects: ['2'], role: 'candidate' },
    { peers: FIVE, grants: ['2', '3'], rejects: [], role: 'leader' },
    { peers: FIVE, grants: ['2'], rejects: ['3'], role: 'candidate' },
    { peers: FIVE, grants: ['2'], rejects: ['3', '4', '5'], role: 'follower' },
    { peers: FIVE, grants: [], rejects: ['2', '3', '4'], role: 'follower' },
  ])('with %o votes end as the expected role', ({ peers, grants, rejects, role }) => {
    const raft = newRaft('1', peers);
    raft.campaignNow();
    for (const from of grants) raft.step({ type: 'voteResponse', from, to: '1', term: 1, reject: false });
    for (const from of rejects) raft.step({ type: 'voteResponse', from, to: '1', term: 1, reject: true });
    expect(raft.role).toBe(role);
    expect(raft.term).toBe(1);
  });

  it('count each voter once', () => {
    const raft = newRaft('1', FIVE);
    raft.campaignNow();
    for (let i = 0; i < 3; i++) raft.step({ type: 'voteResponse', from: '2', to: '1', term: 1, reject: false });
    expect(raft.role).toBe('candidate');
  });

  it('become followers when a leader of their term appears', () => {
    const raft = newRaft('1', THREE);
    raft.campaignNow();
    raft.step(append('3', '1', 1, 0, 0));
    expect(raft.role).toBe('follower');
    expect(raft.leaderId).toBe('3');
    expect(raft.term).toBe(1);
  });

  it('start a new election in a new term when the election times out (split vote)', () => {
    const raft = newRaft('1', THREE);
    raft.campaignNow();
    takeMessages(raft);
    tickUntilElection(raft);
    expect(raft.role).toBe('candidate');
    expect(raft.term).toBe(2);
    expect(ofType(takeMessages(raft), 'vote').map((m) => m.term)).toEqual([2, 2]);
  });
});

describe('Figure 2, leaders', () => {
  it('append a no-op entry of their term when elected and send it to everyone', () => {
    const raft = newRaft('1', THREE);
    raft.campaignNow();
    takeMessages(raft);
    raft.step({ type: 'voteResponse', from: '2', to: '1', term: 1, reject: false });
    expect(raft.role).toBe('leader');
    expect(allEntries(raft)).toEqual([entry(1, 1)]);
    const appends = ofType(takeMessages(raft), 'append');
    expect(appends.map((m) => [m.to, m.entries])).toEqual([
      ['2', [entry(1, 1)]],
      ['3', [entry(1, 1)]],
    ]);
  });

  it('send heartbeats to every follower each heartbeat interval', () => {
    const raft = electedLeader(THREE);
    raft.tick();
    expect(takeMessages(raft)).toEqual([
      { type: 'heartbeat', from: '1', to: '2', term: 1, commit: 1 },
      { type: 'heartbeat', from: '1', to: '3', term: 1, commit: 1 },
    ]);
  });

  it('append proposals to their log and replicate them', () => {
    const raft = electedLeader(THREE);
    const result = raft.propose(new Uint8Array([7]));
    expect(result).toEqual({ accepted: true, index: 2, term: 1 });
    expect(allEntries(raft).at(-1)).toEqual(entry(1, 2, 7));
    expect(ofType(takeMessages(raft), 'append')).toEqual([
      append('1', '2', 1, 1, 1, [entry(1, 2, 7)], 1),
      append('1', '3', 1, 1, 1, [entry(1, 2, 7)], 1),
    ]);
  });

  it('commit an entry once a majority stored it, and tell followers the new commit index', () => {
    const raft = electedLeader(FIVE);
    raft.propose(new Uint8Array([7]));
    takeMessages(raft);
    raft.step(appendAck('2', '1', 1, 2));
    expect(raft.log.committed).toBe(1);
    raft.step(appendAck('3', '1', 1, 2));
    expect(raft.log.committed).toBe(2);
    const appends = ofType(takeMessages(raft), 'append');
    expect(appends.map((m) => [m.to, m.commit])).toEqual([
      ['2', 2],
      ['3', 2],
      ['4', 2],
      ['5', 2],
    ]);
  });

  it('commit all preceding entries, including those of earlier terms, with a current-term entry', () => {
    const storage = storageWith(entriesWithTerms([1, 2]), { term: 2 });
    const raft = electedLeader(THREE, newRaft('1', THREE, { storage }));
    expect(raft.log.committed).toBe(3);
    expect(raft.log.term(3)).toBe(3);
  });

  it('commit earlier-term entries only through a current-term entry (Figure 8)', () => {
    const storage = storageWith(entriesWithTerms([1, 2]), { term: 2, commit: 1 });
    const raft = newRaft('1', THREE, { storage });
    raft.campaignNow();
    raft.step({ type: 'voteResponse', from: '2', to: '1', term: 3, reject: false });
    expect(raft.role).toBe('leader');
    raft.step(appendAck('2', '1', 3, 2)); // a majority now stores entry 2 of term 2...
    expect(raft.log.committed).toBe(1); // ...which must still not count as committed
    raft.step(appendAck('2', '1', 3, 3));
    expect(raft.log.committed).toBe(3);
  });

  it('never overwrite or delete their own entries (Leader Append-Only)', () => {
    const raft = electedLeader(THREE);
    raft.propose(new Uint8Array([1]));
    raft.propose(new Uint8Array([2]));
    const before = allEntries(raft);
    raft.step(append('2', '1', 1, 1, 1, [entry(1, 2, 99)]));
    raft.step(append('2', '1', 0, 0, 0, [entry(0, 1, 99)]));
    raft.step({ type: 'appendResponse', from: '2', to: '1', term: 1, index: 3, reject: true, rejectHint: 0, logTerm: 0 });
    expect(raft.role).toBe('leader');
    expect(allEntries(raft).slice(0, before.length)).toEqual(before);
  });

  it.each([
    ['(a) missing entries', [1, 1, 1, 4, 4, 5, 5, 6, 6]],
    ['(b) missing many entries', [1, 1, 1, 4]],
    ['(c) extra uncommitted entry', [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6]],
    ['(d) extra entries of a later term', [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7]],
    ['(e) conflicting term 4 suffix', [1, 1, 1, 4, 4, 4, 4]],
    ['(f) conflicting terms 2 and 3', [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3]],
  ])('bring a follower with %s into agreement (Figure 7)', (_name, followerTerms) => {
    const leaderTerms = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
    const leader = newRaft('1', THREE, { storage: storageWith(entriesWithTerms(leaderTerms), { term: 8, commit: 3 }) });
    const follower = newRaft('2', THREE, { storage: storageWith(entriesWithTerms(followerTerms), { term: 8, commit: 3 }) });
    const net = new TestNetwork([leader, follower, newRaft('3', THREE, { storage: storageWith([], { term: 8 }) })]);
    net.elect('1');
    net.propose('1', 42);
    expect(leader.role).toBe('leader');
    expect(allEntries(follower)).toEqual(allEntries(leader));
    expect(follower.log.committed).toBe(leader.log.committed);
  });

  it('back off a whole term per rejection using the follower hint', () => {
    const leaderLog = entriesWithTerms([1, ...Array<number>(50).fill(3)]);
    const followerLog = entriesWithTerms([1, ...Array<number>(60).fill(2)]);
    const leader = newRaft('1', THREE, { storage: storageWith(leaderLog, { term: 3, commit: 1 }) });
    const follower = newRaft('2', THREE, { storage: storageWith(followerLog, { term: 3, commit: 1 }) });
    const net = new TestNetwork([leader, follower, newRaft('3', THREE, { storage: storageWith(leaderLog, { term: 3, commit: 1 }) })]);
    net.elect('1');
    net.propose('1', 42);
    const rejections = net.delivered.filter((m) => m.type === 'appendResponse' && m.from === '2' && m.reject);
    expect(rejections.length).toBeGreaterThan(0);
    expect(rejections.length).toBeLessThanOrEqual(2);
    expect(allEntries(follower)).toEqual(allEntries(leader));
  });
});

describe('Figure 2, AppendEntries receiver', () => {
  it.each([
    { index: 0, logTerm: 0, reject: false, acked: 1, hint: 0 }, // below commit: answer with commit
    { index: 2, logTerm: 2, reject: false, acked: 2, hint: 0 }, // matches the last entry
    { index: 1, logTerm: 1, reject: false, acked: 1, hint: 0 }, // matches an earlier entry
    { index: 2, logTerm: 3, reject: true, acked: 2, hint: 2 }, // term mismatch at index 2
    { index: 3, logTerm: 3, reject: true, acked: 3, hint: 2 }, // no entry at index 3
  ])('checks consistency at prevLogIndex/prevLogTerm: %o', ({ index, logTerm, reject, acked, hint }) => {
    const raft = newRaft('1', THREE, { storage: storageWith(entriesWithTerms([1, 2]), { term: 2, commit: 1 }) });
    raft.step(append('2', '1', 2, index, logTerm, [], 1));
    const [response] = ofType(takeMessages(raft), 'appendResponse');
    expect(response.reject).toBe(reject);
    expect(response.index).toBe(acked);
    if (reject) expect(response.rejectHint).toBe(hint);
  });

  it.each([
    { index: 2, logTerm: 2, entries: [entry(3, 3)], want: [1, 2, 3] },
    { index: 1, logTerm: 1, entries: [entry(3, 2), entry(4, 3)], want: [1, 3, 4] },
    { index: 0, logTerm: 0, entries: [entry(1, 1)], want: [1, 2] },
    { index: 0, logTerm: 0, entries: [entry(3, 1)], want: [3] },
  ])('deletes conflicting entries and appends new ones: %o', ({ index, logTerm, entries, want }) => {
    const raft = newRaft('1', THREE, { storage: storageWith(entriesWithTerms([1, 2]), { term: 2 }) });
    raft.step(append('2', '1', 2, index, logTerm, entries));
    expect(allEntries(raft).map((e) => e.term)).toEqual(want);
  });

  it.each([
    { leaderCommit: 1, entries: 2, want: 1 },
    { leaderCommit: 2, entries: 2, want: 2 },
    { leaderCommit: 5, entries: 2, want: 2 },
  ])('sets commit to min(leaderCommit, last new entry): %o', ({ leaderCommit, entries, want }) => {
    const raft = newRaft('1', THREE);
    const sent = [entry(1, 1, 1), entry(1, 2, 2)].slice(0, entries);
    raft.step(append('2', '1', 1, 0, 0, sent, leaderCommit));
    expect(raft.log.committed).toBe(want);
  });
});

describe('Figure 2, RequestVote receiver', () => {
  it('grants at most one vote per term, first come first served', () => {
    const raft = newRaft('1', THREE);
    raft.step({ type: 'vote', from: '2', to: '1', term: 1, index: 0, logTerm: 0 });
    raft.step({ type: 'vote', from: '3', to: '1', term: 1, index: 0, logTerm: 0 });
    raft.step({ type: 'vote', from: '2', to: '1', term: 1, index: 0, logTerm: 0 });
    expect(takeMessages(raft).map((m) => [m.to, m.type === 'voteResponse' && m.reject])).toEqual([
      ['2', false],
      ['3', true],
      ['2', false],
    ]);
    expect(raft.vote).toBe('2');
  });

  it.each([
    { index: 2, logTerm: 1, reject: false }, // same last term, same length
    { index: 3, logTerm: 1, reject: false }, // same last term, longer
    { index: 1, logTerm: 1, reject: true }, // same last term, shorter
    { index: 1, logTerm: 2, reject: false }, // later last term, shorter
    { index: 5, logTerm: 0, reject: true }, // earlier last term, longer
  ])('rejects a candidate whose log is less up-to-date: %o', ({ index, logTerm, reject }) => {
    const raft = newRaft('1', THREE, { storage: storageWith(entriesWithTerms([1, 1]), { term: 1 }) });
    raft.step({ type: 'vote', from: '2', to: '1', term: 3, index, logTerm });
    const [response] = takeMessages(raft);
    expect(response).toMatchObject({ type: 'voteResponse', to: '2', reject });
    expect(raft.vote).toBe(reject ? '' : '2');
  });
});

describe('a broken commit rule fails these tests', () => {
  class CommitsEarlierTerms extends Raft {
    protected override maybeCommit(): boolean {
      const index = this.tracker.committedIndex();
      if (index <= this.log.committed) return false;
      this.log.commitTo(index);
      return true;
    }
  }

  it('a core that counts replicas of earlier-term entries commits them too early', () => {
    const base = newRaft('1', THREE, { storage: storageWith(entriesWithTerms([1, 2]), { term: 2, commit: 1 }) });
    const raft = new CommitsEarlierTerms({
      id: '1',
      peers: THREE,
      storage: base.log.storage,
      random: { nextInt: () => 0, nextFloat: () => 0 },
      config: base.config,
    });
    raft.campaignNow();
    raft.step({ type: 'voteResponse', from: '2', to: '1', term: 3, reject: false });
    raft.step(appendAck('2', '1', 3, 2));
    expect(raft.log.committed).toBe(2);
  });
});
