import { describe, expect, it } from 'vitest';
import { MempoolErrorCode } from '#mempool';
import { poolHarness, transfer, unsignedTransfer } from '../../../../test/mempool/pool-fixtures.js';

describe('Mempool per-sender nonce queues', () => {
  it('queues transactions behind a nonce gap and promotes them when the gap fills', () => {
    const { pool, members } = poolHarness();
    const [alice, bob] = members;
    const tx2 = unsignedTransfer(alice, bob, 1n, 2n);
    const tx1 = unsignedTransfer(alice, bob, 1n, 1n);
    const tx0 = unsignedTransfer(alice, bob, 1n, 0n);
    expect(pool.add(tx2, 'rest')).toMatchObject({ accepted: true, status: 'queued' });
    expect(pool.add(tx1, 'rest')).toMatchObject({ accepted: true, status: 'queued' });
    expect([pool.readyCount(), pool.queuedCount()]).toEqual([0, 2]);
    expect(pool.selectForBlock(10)).toEqual([]);
    expect(pool.add(tx0, 'rest')).toMatchObject({ accepted: true, status: 'ready' });
    expect([pool.readyCount(), pool.queuedCount()]).toEqual([3, 0]);
    expect(pool.statusOf(tx2.hashHex)).toBe('ready');
    expect(pool.selectForBlock(10)).toEqual([tx0, tx1, tx2]);
    expect(pool.nextNonce(alice.publicKeyHex)).toBe(3n);
  });

  it('promotes queued transactions when a block commits the missing nonce from elsewhere', () => {
    const harness = poolHarness();
    const [alice, bob] = harness.members;
    const tx1 = unsignedTransfer(alice, bob, 1n, 1n);
    const tx2 = unsignedTransfer(alice, bob, 1n, 2n);
    harness.pool.add(tx1, 'peer');
    harness.pool.add(tx2, 'peer');
    // Nonce 0 reached the leader through another node: this pool never saw it.
    const { built, dropped } = harness.commit([transfer(alice, bob, 5n, 0n)]);
    expect(built.block.txs).toHaveLength(1);
    expect(dropped).toEqual([]);
    expect(harness.pool.statusOf(tx1.hashHex)).toBe('ready');
    expect([harness.pool.readyCount(), harness.pool.queuedCount()]).toEqual([2, 0]);
    expect(harness.pool.selectForBlock(10)).toEqual([tx1, tx2]);
  });

  it('handles a block that commits a queued tx of this pool after a missing nonce from elsewhere', () => {
    const harness = poolHarness();
    const [alice, bob] = harness.members;
    const tx1 = transfer(alice, bob, 1n, 1n);
    const tx2 = unsignedTransfer(alice, bob, 1n, 2n);
    harness.pool.add(tx1, 'peer');
    harness.pool.add(tx2, 'peer');
    const { built, dropped } = harness.commit([transfer(alice, bob, 5n, 0n), tx1]);
    expect(built.block.txs).toHaveLength(2);
    expect(dropped).toEqual([]);
    expect(harness.pool.stats()).toMatchObject({ size: 1, ready: 1, queued: 0, committed: 1 });
    expect(harness.pool.selectForBlock(10)).toEqual([tx2]);
  });

  it('puts later transactions back behind a gap when one is removed, and promotes them again on refill', () => {
    const { pool, members } = poolHarness();
    const [alice, bob] = members;
    const txs = [0n, 1n, 2n, 3n].map((nonce) => unsignedTransfer(alice, bob, 1n, nonce));
    for (const tx of txs) pool.add(tx, 'rest');
    pool.remove([txs[1].hashHex], 'BALANCE_OVERFLOW');
    expect(pool.selectForBlock(10)).toEqual([txs[0]]);
    expect([pool.readyCount(), pool.queuedCount()]).toEqual([1, 2]);
    expect(pool.stats().droppedByCode).toEqual({ BALANCE_OVERFLOW: 1 });
    const refill = unsignedTransfer(alice, bob, 2n, 1n);
    expect(pool.add(refill, 'rest')).toMatchObject({ accepted: true, status: 'ready' });
    expect(pool.selectForBlock(10)).toEqual([txs[0], refill, txs[2], txs[3]]);
  });

  it('treats a second transaction for a queued nonce as a double spend too', () => {
    const { pool, members } = poolHarness();
    const [alice, bob, carol] = members;
    pool.add(unsignedTransfer(alice, bob, 1n, 4n), 'rest');
    const result = pool.add(unsignedTransfer(alice, carol, 1n, 4n), 'rest');
    expect(result).toMatchObject({ accepted: false, code: MempoolErrorCode.NONCE_IN_USE });
  });

  it('keeps the bookkeeping of bytes and counts exact through adds and removals', () => {
    const { pool, members } = poolHarness();
    const [alice, bob] = members;
    const txs = [0n, 2n, 3n].map((nonce) => unsignedTransfer(alice, bob, 1n, nonce));
    for (const tx of txs) pool.add(tx, 'rest');
    const total = txs.reduce((sum, tx) => sum + tx.bytes.length, 0);
    expect(pool.bytes()).toBe(total);
    pool.remove(
      txs.map((tx) => tx.hashHex),
      'TEST',
    );
    expect([pool.size(), pool.bytes(), pool.readyCount(), pool.queuedCount(), pool.stats().senders]).toEqual([0, 0, 0, 0, 0]);
    expect(pool.nextNonce(alice.publicKeyHex)).toBeUndefined();
  });
});
