import { describe, expect, it } from 'vitest';
import { ChainErrorCode, TxType } from '#chain';
import { poolHarness, recordTx, signTx, transfer, unsignedTransfer } from '../../../../test/mempool/pool-fixtures.js';

describe.each([
  { mode: 'hashes only (every sender re-validated)', passCommittedTxs: false },
  { mode: 'with the block’s transactions (touched senders re-validated)', passCommittedTxs: true },
])('Mempool re-validation after a block, $mode', ({ passCommittedTxs }) => {
  it('removes included transactions without reporting them as dropped', () => {
    const harness = poolHarness({ passCommittedTxs });
    const [alice, bob] = harness.members;
    const txs = [transfer(alice, bob, 1n, 0n), transfer(bob, alice, 1n, 0n)];
    for (const tx of txs) harness.pool.add(tx, 'rest');
    const { built, dropped } = harness.commit(harness.pool.selectForBlock(10));
    expect(built.block.txs).toEqual(txs);
    expect(dropped).toEqual([]);
    expect(harness.pool.size()).toBe(0);
    expect(harness.pool.stats()).toMatchObject({ committed: 2, droppedByCode: {} });
  });

  it('drops a pooled tx whose nonce a different committed tx used (NONCE_REPLAY) and promotes the next', () => {
    const harness = poolHarness({ passCommittedTxs });
    const [alice, bob, carol] = harness.members;
    const mine = unsignedTransfer(alice, bob, 1n, 0n);
    const next = unsignedTransfer(alice, bob, 1n, 1n);
    harness.pool.add(mine, 'rest');
    harness.pool.add(next, 'rest');
    const { dropped } = harness.commit([transfer(alice, carol, 1n, 0n)]);
    expect(dropped).toEqual([{ tx: mine, code: ChainErrorCode.NONCE_REPLAY }]);
    expect(harness.pool.selectForBlock(10)).toEqual([next]);
    expect(harness.pool.stats().droppedByCode).toEqual({ NONCE_REPLAY: 1 });
  });

  it('drops transfers the new balance no longer covers (INSUFFICIENT_BALANCE), keeping the affordable prefix', () => {
    const harness = poolHarness({ balance: 1000n, passCommittedTxs });
    const [alice, bob] = harness.members;
    const tx1 = unsignedTransfer(alice, bob, 400n, 1n);
    const tx2 = unsignedTransfer(alice, bob, 400n, 2n);
    harness.pool.add(tx1, 'rest');
    harness.pool.add(tx2, 'rest');
    // Alice spent 500 through another node: 500 left covers tx1 only.
    const { dropped } = harness.commit([transfer(alice, bob, 500n, 0n)]);
    expect(dropped).toEqual([{ tx: tx2, code: ChainErrorCode.INSUFFICIENT_BALANCE }]);
    expect(harness.pool.selectForBlock(10)).toEqual([tx1]);
  });

  it('keeps transfers a block made affordable and lets later ones in', () => {
    const harness = poolHarness({ balance: 1000n, passCommittedTxs });
    const [alice, bob] = harness.members;
    harness.pool.add(unsignedTransfer(alice, bob, 1000n, 0n), 'rest');
    expect(harness.pool.add(unsignedTransfer(alice, bob, 1n, 1n), 'rest')).toMatchObject({ code: ChainErrorCode.INSUFFICIENT_BALANCE });
    harness.commit([transfer(bob, alice, 300n, 0n)]);
    expect(harness.pool.add(unsignedTransfer(alice, bob, 300n, 1n), 'rest')).toMatchObject({ accepted: true, status: 'ready' });
  });

  it('drops the pooled transactions of a sender the block suspended (MEMBER_SUSPENDED), not its governance txs', () => {
    const harness = poolHarness({ passCommittedTxs });
    const [alice, bob] = harness.members;
    const bobTxs = [transfer(bob, alice, 1n, 0n), transfer(bob, alice, 1n, 1n), transfer(bob, alice, 1n, 5n)];
    for (const tx of bobTxs) harness.pool.add(tx, 'rest');
    const aliceTx = transfer(alice, bob, 1n, 0n);
    harness.pool.add(aliceTx, 'rest');
    const suspend = signTx(harness.governance, 0n, { type: TxType.MEMBER_SUSPEND, publicKey: bob.publicKey });
    const { built, dropped } = harness.commit([suspend]);
    expect(built.rejected).toEqual([]);
    expect(dropped).toEqual(bobTxs.map((tx) => ({ tx, code: ChainErrorCode.MEMBER_SUSPENDED })));
    expect(harness.pool.selectForBlock(10)).toEqual([aliceTx]);
    expect(harness.pool.add(transfer(bob, alice, 1n, 0n), 'rest')).toMatchObject({ accepted: false, code: ChainErrorCode.MEMBER_SUSPENDED });
  });

  it('drops a pooled record whose key the block wrote (RECORD_EXISTS)', () => {
    const harness = poolHarness({ passCommittedTxs });
    const [alice, bob] = harness.members;
    const pooled = recordTx(alice, 0n, 'doc/7', 'mine');
    harness.pool.add(pooled, 'rest');
    const { dropped } = harness.commit([recordTx(bob, 0n, 'doc/7', 'theirs')]);
    expect(dropped).toEqual([{ tx: pooled, code: ChainErrorCode.RECORD_EXISTS }]);
    expect(harness.pool.size()).toBe(0);
    // The key is free in the pool again, so the conflict is now the chain's.
    expect(harness.pool.add(recordTx(alice, 0n, 'doc/7', 'mine'), 'rest')).toMatchObject({ code: ChainErrorCode.RECORD_EXISTS });
  });

  it('moves senders a block served to the back of the round-robin', () => {
    const harness = poolHarness({ passCommittedTxs });
    const [alice, bob, carol] = harness.members;
    const a = [0n, 1n].map((nonce) => transfer(alice, carol, 1n, nonce));
    const b = [0n, 1n].map((nonce) => transfer(bob, carol, 1n, nonce));
    for (const tx of [...a, ...b]) harness.pool.add(tx, 'rest');
    expect(harness.pool.selectForBlock(1)).toEqual([a[0]]);
    harness.commit([a[0]]);
    expect(harness.pool.selectForBlock(4)).toEqual([b[0], a[1], b[1]]);
  });
});
