import { describe, expect, it } from 'vitest';
import { Mempool, MempoolErrorCode, resolveMempoolConfig } from '#mempool';
import { poolHarness, recordTx, unsignedTransfer } from '../../../../test/mempool/pool-fixtures.js';

describe('Mempool limits and eviction', () => {
  it('refuses with MEMPOOL_FULL and retryAfterMs when full of ready transactions', () => {
    const { pool, members } = poolHarness({ config: { maxTxs: 3, retryAfterMs: 250 } });
    for (let i = 0; i < 3; i++) expect(pool.add(unsignedTransfer(members[i], members[3], 1n, 0n), 'rest').accepted).toBe(true);
    expect(pool.add(unsignedTransfer(members[3], members[0], 1n, 0n), 'rest')).toMatchObject({
      accepted: false,
      code: MempoolErrorCode.MEMPOOL_FULL,
      retryAfterMs: 250,
    });
    expect(pool.size()).toBe(3);
  });

  it('refuses with SENDER_QUEUE_FULL and retryAfterMs past the per-sender bound, leaving others unaffected', () => {
    const { pool, members } = poolHarness({ config: { maxPerSender: 3, retryAfterMs: 40 } });
    for (let nonce = 0n; nonce < 3n; nonce++) pool.add(unsignedTransfer(members[0], members[1], 1n, nonce), 'rest');
    expect(pool.add(unsignedTransfer(members[0], members[1], 1n, 3n), 'rest')).toMatchObject({
      accepted: false,
      code: MempoolErrorCode.SENDER_QUEUE_FULL,
      retryAfterMs: 40,
    });
    expect(pool.add(unsignedTransfer(members[1], members[0], 1n, 0n), 'rest').accepted).toBe(true);
  });

  it('evicts the highest-nonce queued tx of the sender with the most queued txs for a new ready tx', () => {
    const { pool, members } = poolHarness({ members: 5, config: { maxTxs: 4 } });
    const [alice, bob, carol, dave, erin] = members;
    pool.add(unsignedTransfer(alice, bob, 1n, 0n), 'rest');
    const carol3 = unsignedTransfer(carol, bob, 1n, 3n);
    const bob5 = unsignedTransfer(bob, alice, 1n, 5n);
    const bob6 = unsignedTransfer(bob, alice, 1n, 6n);
    for (const tx of [carol3, bob5, bob6]) expect(pool.add(tx, 'peer')).toMatchObject({ accepted: true, status: 'queued' });

    // A queued newcomer never evicts anything.
    expect(pool.add(unsignedTransfer(dave, bob, 1n, 1n), 'rest')).toMatchObject({ accepted: false, code: MempoolErrorCode.MEMPOOL_FULL });

    const dave0 = unsignedTransfer(dave, bob, 1n, 0n);
    expect(pool.add(dave0, 'rest')).toEqual({ accepted: true, hashHex: dave0.hashHex, status: 'ready', evicted: [bob6] });
    expect(pool.has(bob6.hashHex)).toBe(false);

    // Bob and Carol now hold one queued tx each: the one that got there first (Carol) goes.
    const erin0 = unsignedTransfer(erin, bob, 1n, 0n);
    expect(pool.add(erin0, 'rest')).toMatchObject({ accepted: true, status: 'ready', evicted: [carol3] });
    const bob0 = unsignedTransfer(bob, alice, 1n, 0n);
    expect(pool.add(bob0, 'rest')).toMatchObject({ accepted: true, status: 'ready', evicted: [bob5] });

    // Only ready transactions are left: they are never evicted.
    expect(pool.add(unsignedTransfer(carol, bob, 1n, 0n), 'rest')).toMatchObject({ accepted: false, code: MempoolErrorCode.MEMPOOL_FULL });
    expect([pool.readyCount(), pool.queuedCount()]).toEqual([4, 0]);
    expect(pool.stats().droppedByCode).toEqual({ MEMPOOL_EVICTED: 3 });
  });

  it('evicts for the byte bound as many queued txs as needed, and refuses when that cannot make room', () => {
    const small = (nonce: bigint, key: string) => recordTx(members[1], nonce, key, 'x');
    const { members, state, rules } = poolHarness();
    const queued = [small(3n, 'a'), small(4n, 'b'), small(5n, 'c')];
    const big = recordTx(members[0], 0n, 'big', 'y'.repeat(600));
    const queuedBytes = queued.reduce((sum, tx) => sum + tx.bytes.length, 0);
    // Room for the small ones, and for the big one only once two small ones are gone.
    const maxBytes = queuedBytes + big.bytes.length - queued[0].bytes.length - 1;
    const pool = new Mempool({ maxBytes }, state, rules);
    for (const tx of queued) expect(pool.add(tx, 'rest')).toMatchObject({ accepted: true, status: 'queued' });
    expect(pool.add(big, 'rest')).toMatchObject({ accepted: true, status: 'ready', evicted: [queued[2], queued[1]] });
    expect(pool.bytes()).toBe(big.bytes.length + queued[0].bytes.length);

    const tooBig = recordTx(members[2], 0n, 'huge', 'z'.repeat(maxBytes));
    expect(pool.add(tooBig, 'rest')).toMatchObject({ accepted: false, code: MempoolErrorCode.MEMPOOL_FULL });
    expect(pool.size()).toBe(2);
  });

  it('reports pressure from the pressure ratio of either bound', () => {
    const { pool, members } = poolHarness({ config: { maxTxs: 10, pressureRatio: 0.8 } });
    for (let nonce = 0n; nonce < 7n; nonce++) pool.add(unsignedTransfer(members[0], members[1], 1n, nonce), 'kafka');
    expect(pool.isUnderPressure()).toBe(false);
    pool.add(unsignedTransfer(members[0], members[1], 1n, 7n), 'kafka');
    expect(pool.isUnderPressure()).toBe(true);
    expect(pool.stats().underPressure).toBe(true);
  });

  it('expires queued transactions by age, never ready ones', () => {
    const { pool, members } = poolHarness();
    const [alice, bob] = members;
    const oldQueued = unsignedTransfer(alice, bob, 1n, 5n);
    const oldReady = unsignedTransfer(bob, alice, 1n, 0n);
    const newQueued = unsignedTransfer(alice, bob, 1n, 7n);
    pool.add(oldQueued, 'rest', 1_000);
    pool.add(oldReady, 'rest', 1_000);
    pool.add(newQueued, 'rest', 5_000);
    expect(pool.expireQueued(5_999, 5_000).dropped).toEqual([]);
    expect(pool.expireQueued(6_000, 5_000).dropped).toEqual([{ tx: oldQueued, code: MempoolErrorCode.QUEUED_EXPIRED }]);
    expect(pool.has(oldReady.hashHex)).toBe(true);
    expect(pool.has(newQueued.hashHex)).toBe(true);
    // Without a time, admission is stamped with the latest time seen.
    const late = unsignedTransfer(alice, bob, 1n, 9n);
    pool.add(late, 'rest');
    expect(pool.expireQueued(10_999, 5_000).dropped.map((d) => d.tx)).toEqual([newQueued]);
    expect(pool.expireQueued(11_000, 5_000).dropped.map((d) => d.tx)).toEqual([late]);
  });

  it('counts transactions admitted before the pool saw any time as admitted at the first time it sees', () => {
    const { pool, members } = poolHarness();
    const queued = unsignedTransfer(members[0], members[1], 1n, 3n);
    pool.add(queued, 'rest');
    expect(pool.expireQueued(1_000_000, 60_000).dropped).toEqual([]);
    expect(pool.expireQueued(1_059_999, 60_000).dropped).toEqual([]);
    expect(pool.expireQueued(1_060_000, 60_000).dropped.map((d) => d.tx)).toEqual([queued]);
  });

  it('validates its configuration', () => {
    expect(resolveMempoolConfig({})).toMatchObject({ maxTxs: 50_000, maxBytes: 64 * 1024 * 1024, maxPerSender: 1_000 });
    expect(() => resolveMempoolConfig({ maxTxs: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_MEMPOOL_CONFIG' }));
    expect(() => resolveMempoolConfig({ pressureRatio: 1.5 })).toThrow(expect.objectContaining({ code: 'INVALID_MEMPOOL_CONFIG' }));
  });
});
