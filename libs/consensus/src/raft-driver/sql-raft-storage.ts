import type { DataSource } from 'typeorm';
import { bulkInsert, fromBase64, qualifiedTable, toBase64 } from '#ledger';
import { MemoryRaftStorage, type RaftReady } from '../raft/index.js';
import { NO_NODE, type RaftEntry } from '../raft/types.js';

interface StateRow {
  term: number;
  vote: string;
  commit_index: number;
  snapshot_index: number;
  snapshot_term: number;
}

/**
 * Raft stable storage in the ledger's database: an in-memory copy serves Raft's reads, and
 * every `RaftReady` is written in one SQL transaction (log suffix replaced, hard state, compaction
 * point) before its messages are sent.
 */
export class SqlRaftStorage extends MemoryRaftStorage {
  private constructor(private readonly dataSource: DataSource) {
    super();
  }

  /** Loads the persisted log and hard state. */
  static async open(dataSource: DataSource): Promise<SqlRaftStorage> {
    const storage = new SqlRaftStorage(dataSource);
    const rows = (await dataSource.query(`SELECT term, vote, commit_index, snapshot_index, snapshot_term FROM ${qualifiedTable(dataSource, 'raft_state')} WHERE id = 1`)) as StateRow[];
    const state = rows[0];
    if (state) {
      storage.applySnapshot({ index: Number(state.snapshot_index), term: Number(state.snapshot_term) });
      storage.setHardState({ term: Number(state.term), vote: state.vote, commit: Number(state.commit_index) });
      const entries = (await dataSource.query(`SELECT idx, term, data FROM ${qualifiedTable(dataSource, 'raft_entries')} WHERE idx > ${Number(state.snapshot_index)} ORDER BY idx`)) as Array<{
        idx: number;
        term: number;
        data: string;
      }>;
      storage.append(entries.map((e) => ({ index: Number(e.idx), term: Number(e.term), data: fromBase64(e.data) })));
    }
    return storage;
  }

  /** Durably records what a Ready asks to persist, then mirrors it in memory. */
  async persist(rd: RaftReady): Promise<void> {
    if (!rd.snapshot && rd.entries.length === 0 && !rd.hardState) return;
    const snapshot = rd.snapshot;
    const entries: readonly RaftEntry[] = rd.entries;
    await this.dataSource.transaction(async (manager) => {
      const entriesTable = qualifiedTable(manager, 'raft_entries');
      if (snapshot) await manager.query(`DELETE FROM ${entriesTable}`);
      if (entries.length > 0) {
        await manager.query(`DELETE FROM ${entriesTable} WHERE idx >= ${Number(entries[0].index)}`);
        await bulkInsert(manager, 'raft_entries', ['idx', 'term', 'data'], entries.map((e) => [e.index, e.term, toBase64(e.data)]));
      }
      const hard = rd.hardState ?? this.initialState();
      const snap = snapshot ?? this.snapshot();
      await bulkInsert(manager, 'raft_state', ['id', 'term', 'vote', 'commit_index', 'snapshot_index', 'snapshot_term'], [[1, hard.term, hard.vote || NO_NODE, Math.max(hard.commit, snap.index), snap.index, snap.term]], {
        kind: 'update',
        keys: ['id'],
        columns: ['term', 'vote', 'commit_index', 'snapshot_index', 'snapshot_term'],
      });
    });
    if (snapshot) this.applySnapshot(snapshot);
    this.append(entries);
    if (rd.hardState) this.setHardState(rd.hardState);
  }

  /** Drops applied entries up to `index` from memory and disk (Raft keeps the compaction point). */
  async compactDurably(index: number): Promise<void> {
    const term = this.term(index);
    if (term === undefined || index <= this.snapshot().index) return;
    const hard = this.initialState();
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM ${qualifiedTable(manager, 'raft_entries')} WHERE idx <= ${Number(index)}`);
      await bulkInsert(manager, 'raft_state', ['id', 'term', 'vote', 'commit_index', 'snapshot_index', 'snapshot_term'], [[1, hard.term, hard.vote, hard.commit, index, term]], {
        kind: 'update',
        keys: ['id'],
        columns: ['term', 'vote', 'commit_index', 'snapshot_index', 'snapshot_term'],
      });
    });
    this.compact(index);
  }
}
