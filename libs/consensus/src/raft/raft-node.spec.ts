import { describe, expect, it } from 'vitest';
import { isAccordError } from '#common';
import { SeededRandom } from '../random.js';
import type { RaftMessage } from './messages.js';
import { RaftNode } from './node.js';
import { MemoryRaftStorage } from './storage.js';
import { PAPER_CONFIG } from './testing.js';
import type { RaftConfig, RaftEntry } from './types.js';
import type { SyncRequest } from './node.js';

const THREE = ['a', 'b', 'c'];

/** A minimal synchronous driver following the Ready contract, for node-level tests. */
class Driver {
  readonly storages = new Map<string, MemoryRaftStorage>();
  readonly nodes = new Map<string, RaftNode>();
  readonly applied = new Map<string, RaftEntry[]>();
  readonly syncRequests = new Map<string, SyncRequest>();
  readonly sent: RaftMessage[] = [];
  private queue: RaftMessage[] = [];
  readonly down = new Set<string>();

  constructor(
    private readonly ids: readonly string[],
    private readonly config: Partial<RaftConfig> = PAPER_CONFIG,
  ) {
    for (const id of ids) {
      this.storages.set(id, new MemoryRaftStorage());
      this.applied.set(id, []);
      this.boot(id);
    }
  }

  node(id: string): RaftNode {
    return this.nodes.get(id) as RaftNode;
  }

  boot(id: string): RaftNode {
    const node = new RaftNode({
      id,
      peers: this.ids,
      storage: this.storages.get(id) as MemoryRaftStorage,
      random: new SeededRandom(id.charCodeAt(0)),
      config: this.config,
      appliedIndex: this.applied.get(id)?.length,
    });
    this.nodes.set(id, node);
    return node;
  }

  process(id: string): void {
    const node = this.node(id);
    const storage = this.storages.get(id) as MemoryRaftStorage;
    while (node.hasReady()) {
      const rd = node.ready();
      if (rd.snapshot) storage.applySnapshot(rd.snapshot);
      storage.append(rd.entries);
      if (rd.hardState) storage.setHardState(rd.hardState);
      this.queue.push(...rd.messages);
      this.sent.push(...rd.messages);
      this.applied.get(id)?.push(...rd.committedEntries);
      if (rd.syncRequest) this.syncRequests.set(id, rd.syncRequest);
      node.advance(rd);
    }
  }

  deliver(): void {
    for (const id of this.ids) this.process(id);
    while (this.queue.length > 0) {
      const m = this.queue.shift() as RaftMessage;
      if (this.down.has(m.to) || this.down.has(m.from)) continue;
      this.node(m.to).step(m);
      this.process(m.to);
    }
  }

  elect(id: string): void {
    this.node(id).campaign();
    this.deliver();
  }

  propose(id: string, payload: number): void {
    this.node(id).propose(new Uint8Array([payload]));
    this.deliver();
  }

  tick(ticks = 1): void {
    for (let t = 0; t < ticks; t++) {
      for (const id of this.ids) if (!this.down.has(id)) this.node(id).tick();
      this.deliver();
    }
  }
}

function payloads(entries: readonly RaftEntry[]): number[] {
  return entries.filter((e) => e.data.byteLength > 0).map((e) => e.data[0]);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isAccordError(error) ? error.code : 'not an AccordError';
  }
  return undefined;
}

describe('RaftNode proposals', () => {
  it('refuses a proposal on a follower and names the leader to forward to', () => {
    const driver = new Driver(THREE);
    expect(driver.node('b').propose(new Uint8Array([1]))).toEqual({ accepted: false, code: 'RAFT_NOT_LEADER', leaderId: undefined });
    driver.elect('a');
    expect(driver.node('b').propose(new Uint8Array([1]))).toEqual({ accepted: false, code: 'RAFT_NOT_LEADER', leaderId: 'a' });
    expect(driver.node('a').propose(new Uint8Array([1]))).toMatchObject({ accepted: true, term: 1 });
  });

  it('reports status, with follower progress on the leader only', () => {
    const driver = new Driver(THREE);
    driver.elect('a');
    driver.propose('a', 1);
    expect(driver.node('a').status()).toMatchObject({
      id: 'a',
      term: 1,
      vote: 'a',
      role: 'leader',
      leaderId: 'a',
      commitIndex: 2,
      appliedIndex: 2,
      firstIndex: 1,
      lastIndex: 2,
      progress: {
        a: { match: 2, next: 3, state: 'replicate', isLearner: false },
        b: { match: 2, next: 3, state: 'replicate', isLearner: false, recentActive: true },
      },
    });
    expect(driver.node('b').status()).toMatchObject({ role: 'follower', leaderId: 'a', progress: {} });
  });

  it('delivers committed entries to every node, in order, exactly once', () => {
    const driver = new Driver(THREE);
    driver.elect('a');
    for (let i = 1; i <= 5; i++) driver.propose('a', i);
    driver.tick(3);
    for (const id of THREE) {
      const entries = driver.applied.get(id) ?? [];
      expect(entries.map((e) => e.index)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(payloads(entries)).toEqual([1, 2, 3, 4, 5]);
    }
  });
});

describe('RaftNode Ready contract', () => {
  it('hands out hard state, entries and messages once, and needs advance() in between', () => {
    const storage = new MemoryRaftStorage();
    const node = new RaftNode({ id: 'a', peers: THREE, storage, random: new SeededRandom(1), config: PAPER_CONFIG });
    expect(node.hasReady()).toBe(false);
    node.campaign();
    const rd = node.ready();
    expect(rd.hardState).toEqual({ term: 1, vote: 'a', commit: 0 });
    expect(rd.softState).toEqual({ leaderId: '', role: 'candidate' });
    expect(rd.messages.map((m) => [m.type, m.to])).toEqual([
      ['vote', 'b'],
      ['vote', 'c'],
    ]);
    expect(codeOf(() => node.ready())).toBe('RAFT_READY_NOT_ADVANCED');
    node.advance(rd);
    expect(node.hasReady()).toBe(false);
    node.step({ type: 'voteResponse', from: 'b', to: 'a', term: 1, reject: false });
    const won = node.ready();
    expect(won.softState?.role).toBe('leader');
    expect(won.entries).toEqual([{ term: 1, index: 1, data: new Uint8Array(0) }]);
    expect(won.hardState).toBeUndefined();
    expect(won.committedEntries).toEqual([]);
    expect(codeOf(() => node.advance(rd))).toBe('RAFT_READY_MISMATCH');
  });

  it('restarts from persisted state without re-delivering applied entries', () => {
    const driver = new Driver(THREE);
    driver.elect('a');
    driver.propose('a', 1);
    driver.propose('a', 2);
    driver.tick(2);
    const before = driver.node('b');
    const restarted = driver.boot('b');
    expect(restarted.term).toBe(before.term);
    expect(restarted.commitIndex).toBe(3);
    expect(restarted.lastIndex).toBe(3);
    expect(restarted.hasReady()).toBe(false);
    expect(driver.storages.get('b')?.initialState().vote).toBe('a');
    // Restarting with a shorter application state re-delivers the missing entries.
    driver.applied.set('b', (driver.applied.get('b') ?? []).slice(0, 1));
    const behind = driver.boot('b');
    expect(payloads(behind.ready().committedEntries)).toEqual([1, 2]);
  });

  it('restarts a leader as a follower that keeps its vote and log', () => {
    const driver = new Driver(THREE);
    driver.elect('a');
    driver.propose('a', 9);
    const restarted = driver.boot('a');
    expect(restarted.role).toBe('follower');
    expect(restarted.term).toBe(1);
    expect(driver.storages.get('a')?.initialState().vote).toBe('a');
    expect(payloads(restarted.entries(1, restarted.lastIndex + 1))).toEqual([9]);
  });
});

describe('RaftNode compaction and out-of-band sync', () => {
  it('tells a follower that needs compacted entries to sync, then resumes replication', () => {
    const driver = new Driver(THREE);
    driver.elect('a');
    driver.down.add('c');
    for (let i = 1; i <= 10; i++) driver.propose('a', i);
    const leader = driver.node('a');
    expect(codeOf(() => leader.compact(leader.appliedIndex + 1))).toBe('RAFT_COMPACT_BEYOND_APPLIED');
    leader.compact(8);
    expect(leader.firstIndex).toBe(9);
    driver.down.delete('c');
    driver.tick(3);
    const request = driver.syncRequests.get('c');
    expect(request).toEqual({ index: 8, term: 1, leaderId: 'a' });
    expect(driver.sent.some((m) => m.type === 'snapshot' && m.to === 'c')).toBe(true);

    // The application fetches blocks 1..8 elsewhere, then hands the point to Raft.
    const blocks = (driver.applied.get('a') ?? []).slice(0, 8);
    driver.applied.set('c', [...blocks]);
    const follower = driver.node('c');
    expect(follower.restoreFrom(8, 1)).toBe(true);
    const rd = follower.ready();
    expect(rd.snapshot).toEqual({ index: 8, term: 1 });
    follower.advance(rd);
    driver.storages.get('c')?.applySnapshot({ index: 8, term: 1 });
    for (const m of rd.messages) driver.node(m.to).step(m);
    driver.deliver();
    driver.propose('a', 11);
    driver.tick(2);
    expect(payloads(driver.applied.get('c') ?? [])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(driver.node('c').commitIndex).toBe(leader.commitIndex);
    expect(follower.restoreFrom(8, 1)).toBe(false);
    // A leader never trades its log for a sync point.
    expect(leader.restoreFrom(leader.commitIndex + 5, leader.term)).toBe(false);
    expect(leader.lastIndex).toBe(12);
  });

  it('re-sends the sync request when the follower never completes it', () => {
    const driver = new Driver(THREE, { ...PAPER_CONFIG, checkQuorum: false });
    driver.elect('a');
    driver.down.add('c');
    for (let i = 1; i <= 4; i++) driver.propose('a', i);
    driver.node('a').compact(4);
    driver.down.delete('c');
    driver.tick(2);
    const count = (): number => driver.sent.filter((m) => m.type === 'snapshot' && m.to === 'c').length;
    const first = count();
    expect(first).toBe(1);
    driver.tick(3 * 10);
    expect(count()).toBeGreaterThan(first);
  });
});

describe('RaftNode flow control', () => {
  function leaderWithSlowFollowers(config: Partial<RaftConfig>): { driver: Driver; leader: RaftNode } {
    const driver = new Driver(THREE, { ...PAPER_CONFIG, ...config });
    driver.elect('a');
    driver.down.add('b');
    driver.down.add('c');
    driver.sent.length = 0;
    return { driver, leader: driver.node('a') };
  }

  it('keeps at most maxInflightMsgs appends in flight per follower', () => {
    const { driver, leader } = leaderWithSlowFollowers({ maxInflightMsgs: 2 });
    for (let i = 0; i < 6; i++) leader.propose(new Uint8Array([i]));
    driver.process('a');
    expect(driver.sent.filter((m) => m.type === 'append' && m.to === 'b')).toHaveLength(2);
  });

  it('caps the entry bytes per append but always sends at least one entry', () => {
    const driver = new Driver(THREE, { ...PAPER_CONFIG, maxSizePerMsgBytes: 60 });
    driver.elect('a');
    driver.down.add('c');
    driver.sent.length = 0;
    driver.down.add('b');
    const leader = driver.node('a');
    for (let i = 0; i < 6; i++) leader.propose(new Uint8Array(20).fill(i));
    leader.propose(new Uint8Array(500));
    driver.down.delete('b');
    driver.tick(5);
    const appends = driver.sent.filter((m) => m.type === 'append' && m.to === 'b' && m.entries.length > 0);
    for (const m of appends) {
      if (m.type !== 'append') continue;
      const bytes = m.entries.reduce((sum, e) => sum + e.data.byteLength + 16, 0);
      expect(m.entries.length === 1 || bytes <= 60).toBe(true);
    }
    expect(driver.node('b').commitIndex).toBe(leader.commitIndex);
    expect(driver.node('b').lastIndex).toBe(8);
  });
});

describe('RaftNode configuration', () => {
  it.each([{ electionTicks: 0 }, { heartbeatTicks: 10, electionTicks: 10 }, { maxInflightMsgs: 1.5 }, { maxSizePerMsgBytes: -1 }])(
    'rejects %o with RAFT_INVALID_CONFIG',
    (config) => {
      const create = (): RaftNode =>
        new RaftNode({ id: 'a', peers: THREE, storage: new MemoryRaftStorage(), random: new SeededRandom(1), config });
      expect(codeOf(create)).toBe('RAFT_INVALID_CONFIG');
    },
  );
});
