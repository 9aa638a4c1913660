import { SeededRandom } from '../random.js';
import type { RaftMessage } from './messages.js';
import { Raft } from './raft.js';
import { MemoryRaftStorage } from './storage.js';
import type { HardState, RaftConfig, RaftEntry } from './types.js';

/**
 * Helpers for unit tests of the Raft core (not exported from the library). They drive `Raft`
 * directly, without `RaftNode`, like etcd's raft_paper_test.go.
 */

/** Config of the paper tests: no pre-vote or check-quorum unless asked for. */
export const PAPER_CONFIG: Partial<RaftConfig> = { electionTicks: 10, heartbeatTicks: 1, preVote: false, checkQuorum: false };

/** An entry with a one-byte payload (or none, like a no-op). */
export function entry(term: number, index: number, payload?: number): RaftEntry {
  return { term, index, data: payload === undefined ? new Uint8Array(0) : new Uint8Array([payload]) };
}

/** Entries 1..n with the given terms. */
export function entriesWithTerms(terms: readonly number[]): RaftEntry[] {
  return terms.map((term, i) => entry(term, i + 1, i));
}

/** A storage preloaded with a log and a hard state. */
export function storageWith(entries: readonly RaftEntry[] = [], hardState?: Partial<HardState>): MemoryRaftStorage {
  const storage = new MemoryRaftStorage();
  storage.append(entries);
  if (hardState !== undefined) storage.setHardState({ term: 0, vote: '', commit: 0, ...hardState });
  return storage;
}

/** A Raft core for tests. */
export function newRaft(
  id: string,
  peers: readonly string[],
  options: { storage?: MemoryRaftStorage; config?: Partial<RaftConfig>; seed?: number; learners?: readonly string[] } = {},
): Raft {
  return new Raft({
    id,
    peers,
    learners: options.learners,
    storage: options.storage ?? new MemoryRaftStorage(),
    random: new SeededRandom(options.seed ?? id.charCodeAt(0)),
    config: { ...PAPER_CONFIG, ...options.config },
  });
}

/** Drains a core's outbox. */
export function takeMessages(raft: Raft): RaftMessage[] {
  const out = raft.msgs;
  raft.msgs = [];
  return out;
}

/** Ticks until the randomized election timeout fires (the node campaigns). */
export function tickUntilElection(raft: Raft): void {
  const timeout = raft.randomizedElectionTimeout;
  for (let i = 0; i < timeout; i++) raft.tick();
}

/** Every entry of a core's log from its first index. */
export function allEntries(raft: Raft): RaftEntry[] {
  return raft.log.entriesFrom(raft.log.firstIndex(), Number.MAX_SAFE_INTEGER);
}

/**
 * A synchronous in-memory network of cores: `send` delivers messages (and everything they
 * cause) until quiet. Links can be cut per direction; storage persistence is implicit.
 */
export class TestNetwork {
  readonly peers: Map<string, Raft>;
  private readonly cut = new Set<string>();
  /** Every message delivered, for assertions on traffic. */
  readonly delivered: RaftMessage[] = [];

  constructor(rafts: readonly Raft[]) {
    this.peers = new Map(rafts.map((raft) => [raft.id, raft]));
  }

  /** The core with this id. */
  get(id: string): Raft {
    const raft = this.peers.get(id);
    if (raft === undefined) throw new Error(`no peer ${id}`);
    return raft;
  }

  /** Cuts both directions between two nodes. */
  cutBetween(a: string, b: string): void {
    this.cut.add(`${a}>${b}`);
    this.cut.add(`${b}>${a}`);
  }

  /** Cuts a node off from everyone. */
  isolate(id: string): void {
    for (const other of this.peers.keys()) if (other !== id) this.cutBetween(id, other);
  }

  /** Restores every link. */
  recover(): void {
    this.cut.clear();
  }

  /** Delivers `messages` and all their consequences until no message is left. */
  send(messages: readonly RaftMessage[]): void {
    const queue = [...messages];
    while (queue.length > 0) {
      const m = queue.shift() as RaftMessage;
      const target = this.peers.get(m.to);
      if (target === undefined || this.cut.has(`${m.from}>${m.to}`)) continue;
      this.delivered.push(m);
      target.step(m);
      queue.push(...takeMessages(target));
    }
  }

  /** Ticks one node until it campaigns, then delivers everything. */
  elect(id: string): void {
    const raft = this.get(id);
    raft.campaignNow();
    this.send(takeMessages(raft));
  }

  /** Proposes at `id` and delivers everything. */
  propose(id: string, payload: number): void {
    const raft = this.get(id);
    raft.propose(new Uint8Array([payload]));
    this.send(takeMessages(raft));
  }

  /** Ticks every node `ticks` times, delivering after each round. */
  tickAll(ticks: number): void {
    for (let t = 0; t < ticks; t++) {
      for (const raft of this.peers.values()) {
        raft.tick();
        this.send(takeMessages(raft));
      }
    }
  }
}
