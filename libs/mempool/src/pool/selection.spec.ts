import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex, TxType, type Transaction } from '#chain';
import { poolHarness, recordTx, transfer, unsignedTransfer, type TestAccount } from '../../../../test/mempool/pool-fixtures.js';

describe('Mempool.selectForBlock', () => {
  it('keeps nonce order per sender and goes round-robin across senders', () => {
    const { pool, members } = poolHarness();
    const [alice, bob, carol, dave] = members;
    const a = [0n, 1n, 2n].map((nonce) => unsignedTransfer(alice, dave, 1n, nonce));
    const b = [unsignedTransfer(bob, dave, 1n, 0n)];
    const c = [0n, 1n].map((nonce) => unsignedTransfer(carol, dave, 1n, nonce));
    // Admission order is scrambled on purpose: selection order must not depend on it per sender.
    for (const tx of [a[2], c[1], a[0], b[0], a[1], c[0]]) pool.add(tx, 'rest');
    expect(pool.selectForBlock(100)).toEqual([a[0], b[0], c[0], a[1], c[1], a[2]]);
  });

  it('respects maxTxs, takes nothing away, and never returns a gapped transaction', () => {
    const { pool, members } = poolHarness();
    const [alice, bob] = members;
    const ready = [0n, 1n].map((nonce) => unsignedTransfer(alice, bob, 1n, nonce));
    const gapped = unsignedTransfer(alice, bob, 1n, 3n);
    const bobGapped = unsignedTransfer(bob, alice, 1n, 1n);
    for (const tx of [...ready, gapped, bobGapped]) pool.add(tx, 'rest');
    expect(pool.selectForBlock(0)).toEqual([]);
    expect(pool.selectForBlock(1)).toEqual([ready[0]]);
    expect(pool.selectForBlock(100)).toEqual(ready);
    expect(pool.size()).toBe(4);
  });

  it('serves a light sender in the first round however many txs a heavy sender has', () => {
    const { pool, members } = poolHarness();
    const [heavy, light, target] = members;
    for (let nonce = 0n; nonce < 50n; nonce++) pool.add(unsignedTransfer(heavy, target, 1n, nonce), 'kafka');
    const lightTx = unsignedTransfer(light, target, 1n, 0n);
    pool.add(lightTx, 'rest');
    expect(pool.selectForBlock(2)[1]).toBe(lightTx);
  });
});

type Op =
  | { kind: 'transfer'; sender: number; nonce: number; to: number; amount: number }
  | { kind: 'record'; sender: number; nonce: number; key: number };

const MEMBERS = 4;
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('transfer' as const), sender: fc.nat(MEMBERS - 1), nonce: fc.nat(3), to: fc.nat(MEMBERS - 1), amount: fc.integer({ min: 1, max: 700 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('record' as const), sender: fc.nat(MEMBERS - 1), nonce: fc.nat(3), key: fc.nat(3) }) },
);

describe('Mempool.selectForBlock property', () => {
  // Real signatures, so the blocks below are fully valid on chain; cached because signing is slow.
  const signed = new Map<string, Transaction>();
  function txOf(op: Op, members: TestAccount[]): Transaction {
    const key = JSON.stringify(op);
    let tx = signed.get(key);
    if (!tx) {
      tx =
        op.kind === 'transfer'
          ? transfer(members[op.sender], members[op.to], BigInt(op.amount), BigInt(op.nonce))
          : recordTx(members[op.sender], BigInt(op.nonce), `key/${op.key}`);
      signed.set(key, tx);
    }
    return tx;
  }

  it('returns only transactions that buildBlock accepts in that order, block after block', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { minLength: 4, maxLength: 24, size: 'medium' }), fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 4 }), fc.boolean(), (ops, blockSizes, passCommittedTxs) => {
        const harness = poolHarness({ members: MEMBERS, balance: 1000n, passCommittedTxs });
        for (const op of ops) harness.pool.add(txOf(op, harness.members), 'rest');
        for (const maxTxs of blockSizes) {
          expect(harness.pool.selectForBlock(Number.MAX_SAFE_INTEGER)).toHaveLength(harness.pool.readyCount());
          const selected = harness.pool.selectForBlock(maxTxs);
          expect(selected.length).toBe(Math.min(maxTxs, harness.pool.readyCount()));
          // Per sender: consecutive nonces from the account's next nonce.
          const expectedNonce = new Map<string, bigint>();
          for (const tx of selected) {
            const sender = toHex(tx.body.sender);
            const next = expectedNonce.get(sender) ?? harness.state.account(toHex(tx.senderAddress))?.nonce ?? 0n;
            expect(tx.body.nonce).toBe(next);
            expectedNonce.set(sender, next + 1n);
          }
          const { built } = harness.commit(selected);
          expect(built.rejected).toEqual([]);
          expect(built.block.txs).toEqual(selected);
          expect(harness.pool.size()).toBe(harness.pool.readyCount() + harness.pool.queuedCount());
          for (const tx of selected) expect(harness.pool.has(tx.hashHex)).toBe(false);
        }
      }),
      { seed: 20261124, numRuns: 120 },
    );
  });

  it('admits every transaction of a random set that the chain would accept in nonce order', () => {
    // The converse: the pool must not refuse what is valid. Each sender gets a clean run of
    // affordable transfers and unique records; the pool admits all, and one block commits all.
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(MEMBERS - 1), fc.integer({ min: 1, max: 200 })), { minLength: 1, maxLength: 16 }), (plan) => {
        const harness = poolHarness({ members: MEMBERS, balance: 1000n });
        const nonces = new Array<number>(MEMBERS).fill(0);
        const txs = plan.map(([sender, amount], index) => {
          const nonce = nonces[sender]++;
          const op: Op = index % 3 === 2 ? { kind: 'record', sender, nonce, key: index } : { kind: 'transfer', sender, nonce, to: (sender + 1) % MEMBERS, amount };
          return txOf(op, harness.members);
        });
        const budget = new Array<number>(MEMBERS).fill(0);
        const affordable = txs.filter((tx) => {
          const payload = tx.body.payload;
          if (payload.type !== TxType.TRANSFER) return true;
          const sender = harness.members.findIndex((m) => m.publicKeyHex === toHex(tx.body.sender));
          budget[sender] += Number(payload.amount);
          return budget[sender] <= 1000;
        });
        fc.pre(affordable.length === txs.length);
        // Reverse order: every sender's transactions arrive gapped first.
        for (const tx of [...txs].reverse()) expect(harness.pool.add(tx, 'peer').accepted).toBe(true);
        expect(harness.pool.readyCount()).toBe(txs.length);
        const { built } = harness.commit(harness.pool.selectForBlock(100));
        expect(built.rejected).toEqual([]);
        expect(built.block.txs).toHaveLength(txs.length);
        expect(harness.pool.size()).toBe(0);
      }),
      { seed: 7, numRuns: 60 },
    );
  });
});
