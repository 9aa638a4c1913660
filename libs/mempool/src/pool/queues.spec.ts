import { describe, expect, it } from 'vitest';
import { MaxCountIndex } from './queued-index.js';
import { SenderQueue } from './sender-queue.js';
import type { PoolEntry } from './types.js';

function entry(nonce: bigint, sizeBytes = 100, spend = 0n): PoolEntry {
  return {
    tx: undefined as never,
    hashHex: `h${nonce}`,
    senderKeyHex: 'k',
    nonce,
    sizeBytes,
    spend,
    recordKey: undefined,
    governance: false,
    source: 'rest',
    admittedAtMs: 0,
  };
}

describe('MaxCountIndex', () => {
  it('tracks the item with the highest count through jumps up and down, first-come on ties', () => {
    const index = new MaxCountIndex<string>();
    expect(index.top()).toBeUndefined();
    index.update('a', 0, 3);
    index.update('b', 0, 3);
    expect(index.top()).toBe('a');
    index.update('c', 0, 7);
    expect(index.top()).toBe('c');
    index.update('c', 7, 1);
    expect(index.top()).toBe('a');
    index.update('a', 3, 0);
    expect(index.top()).toBe('b');
    index.update('b', 3, 0);
    index.update('c', 1, 0);
    expect(index.top()).toBeUndefined();
  });
});

describe('SenderQueue', () => {
  it('keeps entries sorted, the ready run contiguous from the base nonce, and byte totals exact', () => {
    const queue = new SenderQueue('k', new Uint8Array(20), 'a', 5n, 1000n);
    for (const nonce of [8n, 6n, 9n]) queue.insert(entry(nonce, Number(nonce)));
    expect(queue.entries.map((e) => e.nonce)).toEqual([6n, 8n, 9n]);
    expect([queue.readyLength, queue.queuedCount, queue.nextReadyNonce]).toEqual([0, 3, 5n]);
    queue.insert(entry(5n, 5));
    expect([queue.readyLength, queue.readyBytes, queue.nextReadyNonce]).toEqual([2, 11, 7n]);
    queue.insert(entry(7n, 7));
    expect([queue.readyLength, queue.readyBytes, queue.totalBytes]).toEqual([5, 35, 35]);
    queue.remove(queue.atNonce(7n)!);
    expect([queue.readyLength, queue.readyBytes, queue.totalBytes]).toEqual([2, 11, 28]);
  });

  it('advances the base nonce when its first ready entry commits, and recomputes after a rebase', () => {
    const queue = new SenderQueue('k', new Uint8Array(20), 'a', 0n, 1000n);
    const entries = [0n, 1n, 3n].map((nonce) => entry(nonce, 10, 100n));
    for (const e of entries) queue.insert(e);
    expect(queue.removeCommitted(entries[0])).toBe(true);
    expect([queue.baseNonce, queue.readyLength, queue.pendingSpend]).toEqual([1n, 1, 200n]);
    // Committing a queued entry is out of order: the caller must recompute against the state.
    expect(queue.removeCommitted(entries[2])).toBe(false);
    queue.baseNonce = 2n;
    expect(queue.replayed()).toEqual([entries[1]]);
    queue.remove(entries[1]);
    queue.recomputeReady();
    expect([queue.size, queue.readyLength, queue.readyBytes]).toEqual([0, 0, 0]);
  });

  it('finds the transfers to drop when the balance shrinks, keeping the affordable ones in nonce order', () => {
    const queue = new SenderQueue('k', new Uint8Array(20), 'a', 0n, 1000n);
    const entries = [entry(0n, 10, 400n), entry(1n, 10, 500n), entry(2n, 10, 0n), entry(3n, 10, 100n)];
    for (const e of entries) queue.insert(e);
    expect(queue.unaffordable()).toEqual([]);
    queue.balance = 520n;
    expect(queue.unaffordable()).toEqual([entries[1]]);
    queue.balance = 300n;
    expect(queue.unaffordable()).toEqual([entries[0], entries[1]]);
  });
});
