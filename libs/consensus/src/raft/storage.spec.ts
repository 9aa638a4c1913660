import { describe, expect, it } from 'vitest';
import { isAccordError } from '#common';
import { RaftLog } from './log.js';
import { limitSize, MemoryRaftStorage } from './storage.js';
import { entriesWithTerms, entry, storageWith } from './testing.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isAccordError(error) ? error.code : 'not an AccordError';
  }
  return undefined;
}

describe('MemoryRaftStorage', () => {
  it('starts empty at index 0 with a zero hard state', () => {
    const storage = new MemoryRaftStorage();
    expect(storage.initialState()).toEqual({ term: 0, vote: '', commit: 0 });
    expect([storage.firstIndex(), storage.lastIndex()]).toEqual([1, 0]);
    expect(storage.term(0)).toBe(0);
    expect(storage.term(1)).toBeUndefined();
  });

  it('replaces a stored suffix when appending from an earlier index', () => {
    const storage = storageWith(entriesWithTerms([1, 1, 2, 2]));
    storage.append([entry(3, 3), entry(3, 4), entry(3, 5)]);
    expect([1, 2, 3, 4, 5].map((i) => storage.term(i))).toEqual([1, 1, 3, 3, 3]);
    expect(codeOf(() => storage.append([entry(3, 9)]))).toBe('RAFT_LOG_OUT_OF_ORDER');
  });

  it('compacts a prefix but keeps the term of the compaction point', () => {
    const storage = storageWith(entriesWithTerms([1, 2, 3, 4]));
    storage.compact(2);
    expect(storage.firstIndex()).toBe(3);
    expect(storage.snapshot()).toEqual({ index: 2, term: 2 });
    expect(storage.term(2)).toBe(2);
    expect(storage.term(1)).toBeUndefined();
    expect(storage.entries(3, 5, Infinity).map((e) => e.term)).toEqual([3, 4]);
    expect(codeOf(() => storage.entries(2, 4, Infinity))).toBe('RAFT_LOG_COMPACTED');
    expect(codeOf(() => storage.compact(9))).toBe('RAFT_LOG_UNAVAILABLE');
    storage.append([entry(1, 1)]); // below the compaction point: ignored
    expect(storage.lastIndex()).toBe(4);
  });

  it('replaces the whole log by a synced compaction point and raises commit', () => {
    const storage = storageWith(entriesWithTerms([1, 1]), { term: 1, commit: 1 });
    storage.applySnapshot({ index: 10, term: 3 });
    expect([storage.firstIndex(), storage.lastIndex()]).toEqual([11, 10]);
    expect(storage.initialState().commit).toBe(10);
    storage.append([entry(3, 11)]);
    expect(storage.term(11)).toBe(3);
  });

  it('limits entries by bytes but always returns at least one', () => {
    const big = [entry(1, 1), entry(1, 2), entry(1, 3)].map((e) => ({ ...e, data: new Uint8Array(100) }));
    expect(limitSize(big, 10)).toHaveLength(1);
    expect(limitSize(big, 240)).toHaveLength(2);
    expect(limitSize(big, 1000)).toHaveLength(3);
  });
});

describe('RaftLog', () => {
  it('reads across stable storage and the unstable tail, the tail winning', () => {
    const log = new RaftLog(storageWith(entriesWithTerms([1, 1, 1])));
    log.append([entry(2, 3), entry(2, 4)]);
    expect(log.lastIndex()).toBe(4);
    expect(log.slice(1, 5, Infinity).map((e) => e.term)).toEqual([1, 1, 2, 2]);
    log.unstable.stableTo(4, 2);
    expect(log.unstable.entries).toEqual([]);
  });

  it('never lets an append rewrite committed entries', () => {
    const log = new RaftLog(storageWith(entriesWithTerms([1, 1, 1]), { commit: 2 }));
    expect(codeOf(() => log.append([entry(2, 2)]))).toBe('RAFT_COMMITTED_OVERWRITE');
    expect(codeOf(() => log.maybeAppend(1, 1, 3, [entry(2, 2)]))).toBe('RAFT_COMMITTED_OVERWRITE');
    expect(codeOf(() => log.commitTo(9))).toBe('RAFT_COMMIT_BEYOND_LOG');
  });

  it('finds the last index whose term can match, for conflict hints', () => {
    const log = new RaftLog(storageWith(entriesWithTerms([1, 1, 2, 2, 4, 4])));
    expect(log.findConflictByTerm(6, 3)).toEqual({ index: 4, term: 2 });
    expect(log.findConflictByTerm(6, 4)).toEqual({ index: 6, term: 4 });
    expect(log.findConflictByTerm(4, 1)).toEqual({ index: 2, term: 1 });
    expect(log.findConflictByTerm(6, 0)).toEqual({ index: 0, term: 0 });
  });

  it('refuses an applied index beyond the stored log', () => {
    expect(codeOf(() => new RaftLog(storageWith(entriesWithTerms([1])), 5))).toBe('RAFT_APPLIED_BEYOND_LOG');
  });
});
