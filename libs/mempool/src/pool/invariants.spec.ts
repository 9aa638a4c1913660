import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Transaction } from '#chain';
import { poolHarness, unsignedTransfer } from '../../../../test/mempool/pool-fixtures.js';

type Op =
  | { kind: 'add'; sender: number; nonce: number; amount: number }
  | { kind: 'commit'; maxTxs: number }
  | { kind: 'remove'; pick: number }
  | { kind: 'expire'; advanceMs: number };

const SENDERS = 5;
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('add' as const), sender: fc.nat(SENDERS - 1), nonce: fc.nat(7), amount: fc.integer({ min: 1, max: 300 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('commit' as const), maxTxs: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), advanceMs: fc.integer({ min: 0, max: 3_000 }) }) },
);

describe('Mempool bookkeeping under random operations', () => {
  it('stays within its bounds, never evicts ready txs, and agrees with a model of its contents', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: 60, size: 'medium' }), fc.integer({ min: 3, max: 12 }), fc.boolean(), (ops, maxTxs, passCommittedTxs) => {
        const maxBytes = maxTxs * 140;
        const harness = poolHarness({ members: SENDERS, balance: 1000n, config: { maxTxs, maxBytes, maxPerSender: 5 }, passCommittedTxs });
        const { pool, members } = harness;
        const model = new Map<string, Transaction>();
        let nowMs = 0;
        for (const op of ops) {
          if (op.kind === 'add') {
            const readyBefore = pool.selectForBlock(Number.MAX_SAFE_INTEGER);
            const tx = unsignedTransfer(members[op.sender], members[(op.sender + 1) % SENDERS], BigInt(op.amount), BigInt(op.nonce));
            const result = pool.add(tx, 'rest', nowMs);
            if (result.accepted) {
              model.set(tx.hashHex, tx);
              for (const evicted of result.evicted ?? []) {
                expect(readyBefore).not.toContain(evicted);
                model.delete(evicted.hashHex);
              }
            }
            for (const tx of readyBefore) expect(pool.has(tx.hashHex)).toBe(true);
          } else if (op.kind === 'commit') {
            const { built, dropped } = harness.commit(pool.selectForBlock(op.maxTxs));
            expect(built.rejected).toEqual([]);
            for (const tx of [...built.block.txs, ...dropped.map((d) => d.tx)]) model.delete(tx.hashHex);
          } else if (op.kind === 'remove') {
            const candidates = [...model.keys()];
            if (candidates.length === 0) continue;
            const hashHex = candidates[op.pick % candidates.length];
            pool.remove([hashHex], 'TEST');
            model.delete(hashHex);
          } else {
            nowMs += op.advanceMs;
            for (const { tx } of pool.expireQueued(nowMs, 2_000).dropped) model.delete(tx.hashHex);
          }
          expect(pool.size()).toBe(model.size);
          expect(pool.size()).toBeLessThanOrEqual(maxTxs);
          expect(pool.bytes()).toBeLessThanOrEqual(maxBytes);
          expect(pool.bytes()).toBe([...model.values()].reduce((sum, tx) => sum + tx.bytes.length, 0));
          for (const hashHex of model.keys()) expect(pool.has(hashHex)).toBe(true);
          expect(pool.readyCount() + pool.queuedCount()).toBe(model.size);
          expect(pool.selectForBlock(Number.MAX_SAFE_INTEGER)).toHaveLength(pool.readyCount());
        }
      }),
      { seed: 424242, numRuns: 150 },
    );
  });
});
