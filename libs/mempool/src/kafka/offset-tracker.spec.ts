import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refusalAction, deadLetterRecord, receiptRecord } from './ingress-records.js';
import { OffsetTracker, type MessageHandle } from './offset-tracker.js';

const P0 = { topic: 'accord.tx', partition: 0 };
const P1 = { topic: 'accord.tx', partition: 1 };

function seenAll(tracker: OffsetTracker<string>, tp: typeof P0, offsets: number[]): MessageHandle[] {
  return offsets.map((offset) => {
    const handle = tracker.seen(tp, BigInt(offset), `m${offset}`);
    if (!handle) throw new Error(`offset ${offset} not tracked`);
    return handle;
  });
}

const positionOf = (tracker: OffsetTracker<string>, tp: typeof P0, assume?: Set<string>): string | undefined =>
  tracker.committable(assume).find((o) => o.topic === tp.topic && o.partition === tp.partition)?.nextOffset;

describe('OffsetTracker', () => {
  it('never commits past an unfinished offset when messages finish out of order', () => {
    const tracker = new OffsetTracker<string>();
    tracker.assign(P0);
    const [m0, m1, m2, m3] = seenAll(tracker, P0, [0, 1, 2, 3]);
    tracker.done(m2);
    tracker.done(m3);
    expect(positionOf(tracker, P0)).toBe('0');
    expect(tracker.toCommit()).toEqual([]);
    tracker.done(m1);
    expect(positionOf(tracker, P0)).toBe('0');
    tracker.done(m0);
    // Kafka's commit is the next offset to read: last done + 1.
    expect(positionOf(tracker, P0)).toBe('4');
    expect(tracker.toCommit()).toEqual([{ ...P0, nextOffset: '4' }]);
  });

  it('finishes every message awaiting a transaction hash when it commits, across partitions', () => {
    const tracker = new OffsetTracker<string>();
    tracker.assign(P0);
    tracker.assign(P1);
    const [a0, a1] = seenAll(tracker, P0, [10, 11]);
    const [b0] = seenAll(tracker, P1, [5]);
    tracker.awaitHash(a0, 'h1');
    tracker.awaitHash(a1, 'h2');
    tracker.awaitHash(b0, 'h1'); // the same tx produced twice
    expect(tracker.awaiting('h1').map((w) => w.item).sort()).toEqual(['m10', 'm5']);
    expect(positionOf(tracker, P0, new Set(['h1']))).toBe('11');
    expect(positionOf(tracker, P0, new Set(['h1', 'h2']))).toBe('12');
    // Assuming is not doing.
    expect(positionOf(tracker, P0)).toBe('10');
    for (const { handle } of tracker.awaiting('h1')) tracker.done(handle);
    expect(tracker.isAwaited('h1')).toBe(false);
    expect(tracker.isAwaited('h2')).toBe(true);
    expect(positionOf(tracker, P0)).toBe('11');
    expect(positionOf(tracker, P1)).toBe('6');
  });

  it('treats a dead-lettered message as done and a duplicate within a partition as separate messages', () => {
    const tracker = new OffsetTracker<string>();
    tracker.assign(P0);
    const [m0, m1, m2] = seenAll(tracker, P0, [0, 1, 2]);
    tracker.awaitHash(m0, 'h');
    tracker.awaitHash(m2, 'h');
    tracker.done(m1); // DLQ acknowledged
    tracker.done(m0);
    // Finishing one copy must not forget the other copy still in flight.
    expect(tracker.isAwaited('h')).toBe(true);
    expect(positionOf(tracker, P0)).toBe('2');
    tracker.done(m2);
    expect(positionOf(tracker, P0)).toBe('3');
  });

  it('resumes at the stored offset after a restart: lower offsets are skipped, the floor is committable', () => {
    const tracker = new OffsetTracker<string>();
    tracker.assign(P0, 7n);
    expect(tracker.seen(P0, 5n, 'old')).toBeUndefined();
    expect(tracker.seen(P0, 6n, 'old')).toBeUndefined();
    expect(positionOf(tracker, P0)).toBe('7');
    expect(tracker.toCommit()).toEqual([]);
    const [m7] = seenAll(tracker, P0, [7]);
    expect(tracker.seen(P0, 7n, 'again')).toBeUndefined(); // redelivery within the session
    tracker.done(m7);
    expect(tracker.toCommit()).toEqual([{ ...P0, nextOffset: '8' }]);
    tracker.markCommitted([{ ...P0, nextOffset: '8' }]);
    expect(tracker.toCommit()).toEqual([]);
  });

  it('skips offset gaps (compaction, transaction markers)', () => {
    const tracker = new OffsetTracker<string>();
    tracker.assign(P0);
    const [m3, m9] = seenAll(tracker, P0, [3, 9]);
    tracker.done(m3);
    expect(positionOf(tracker, P0)).toBe('9');
    tracker.done(m9);
    expect(positionOf(tracker, P0)).toBe('10');
  });

  it('ignores handles of a released or reassigned partition', () => {
    const tracker = new OffsetTracker<string>();
    tracker.assign(P0);
    const [old] = seenAll(tracker, P0, [0]);
    tracker.awaitHash(old, 'h');
    tracker.assign(P0, 0n); // rebalance: the partition came back, messages are redelivered
    expect(tracker.isAwaited('h')).toBe(false);
    const [fresh] = seenAll(tracker, P0, [0]);
    tracker.done(old);
    expect(positionOf(tracker, P0)).toBe('0');
    tracker.done(fresh);
    expect(positionOf(tracker, P0)).toBe('1');
    tracker.release(P0);
    expect(tracker.seen(P0, 1n, 'x')).toBeUndefined();
    expect(tracker.committable()).toEqual([]);
  });

  it('property: the committable offset is always the lowest unfinished offset, whatever the finishing order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(200), { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 40 }), (offsets, picks) => {
        const sorted = [...offsets].sort((a, b) => a - b);
        const tracker = new OffsetTracker<string>();
        tracker.assign(P0);
        const handles = seenAll(tracker, P0, sorted);
        const unfinished = new Set(sorted);
        let lastCommitted = -1n;
        for (const pick of picks) {
          const remaining = handles.filter((h) => unfinished.has(Number(h.offset)));
          if (remaining.length === 0) break;
          const handle = remaining[pick % remaining.length];
          tracker.done(handle);
          unfinished.delete(Number(handle.offset));
          const expected = unfinished.size ? Math.min(...unfinished) : sorted[sorted.length - 1] + 1;
          expect(positionOf(tracker, P0)).toBe(String(expected));
          for (const offset of tracker.toCommit()) {
            expect(BigInt(offset.nextOffset)).toBeGreaterThan(lastCommitted);
            lastCommitted = BigInt(offset.nextOffset);
          }
          tracker.markCommitted(tracker.toCommit());
        }
      }),
    );
  });
});

describe('ingress records', () => {
  it('classifies admission refusals', () => {
    expect(refusalAction('TX_ALREADY_COMMITTED')).toBe('await-commit');
    expect(refusalAction('TX_DUPLICATE')).toBe('await-commit');
    expect(refusalAction('MEMPOOL_FULL')).toBe('retry');
    expect(refusalAction('SENDER_QUEUE_FULL')).toBe('retry');
    expect(refusalAction('NONCE_TOO_FAR')).toBe('retry-bounded');
    for (const code of ['MALFORMED_TX', 'BAD_SIGNATURE', 'WRONG_CHAIN_ID', 'NONCE_REPLAY', 'TX_TOO_LARGE', 'NOT_A_MEMBER', 'SOMETHING_NEW']) {
      expect(refusalAction(code)).toBe('dead-letter');
    }
  });

  it('keeps the original record and its origin in a DLQ record; receipts are keyed by hash', () => {
    const record = deadLetterRecord({ topic: 'accord.tx', partition: 2, offset: '41', key: Buffer.from('k'), value: Buffer.from([1, 2]) }, 'BAD_SIGNATURE', 'nope');
    expect(record.key).toEqual(Buffer.from('k'));
    expect(record.value).toEqual(Buffer.from([1, 2]));
    expect(record.headers).toEqual({ reason: 'BAD_SIGNATURE', message: 'nope', 'original-topic': 'accord.tx', 'original-partition': '2', 'original-offset': '41' });
    const receipt = receiptRecord({ hash: 'ab', status: 'committed', height: 3, index: 0 });
    expect(receipt.key).toBe('ab');
    expect(JSON.parse(String(receipt.value))).toEqual({ hash: 'ab', status: 'committed', height: 3, index: 0 });
  });
});
