import { describe, expect, it } from 'vitest';
import { ChainErrorCode, TxType } from '#chain';
import { Mempool, MempoolErrorCode, type AdmissionResult } from '#mempool';
import { poolHarness, recordTx, signTx, testAccount, transfer, unsignedTransfer } from '../../../../test/mempool/pool-fixtures.js';

function refusal(result: AdmissionResult): { code: string; existing?: boolean; retryAfterMs?: number } {
  if (result.accepted) throw new Error(`expected a refusal, got ${result.status}`);
  return { code: result.code, existing: result.existing, retryAfterMs: result.retryAfterMs };
}

describe('Mempool admission', () => {
  it('admits a valid transfer as ready and can return it', () => {
    const { pool, members } = poolHarness();
    const tx = transfer(members[0], members[1], 10n, 0n);
    expect(pool.add(tx, 'rest')).toEqual({ accepted: true, hashHex: tx.hashHex, status: 'ready' });
    expect(pool.has(tx.hashHex)).toBe(true);
    expect(pool.get(tx.hashHex)).toBe(tx);
    expect(pool.isVerified(tx)).toBe(true);
    expect(pool.isVerified(transfer(members[0], members[1], 11n, 0n))).toBe(false);
    expect(pool.stats()).toMatchObject({ size: 1, ready: 1, queued: 0, admittedBySource: { rest: 1, kafka: 0, peer: 0 } });
  });

  it('refuses the same transaction twice with TX_DUPLICATE and existing: true', () => {
    const { pool, members } = poolHarness();
    const tx = transfer(members[0], members[1], 10n, 0n);
    pool.add(tx, 'rest');
    expect(refusal(pool.add(tx, 'kafka'))).toEqual({ code: 'TX_DUPLICATE', existing: true, retryAfterMs: undefined });
    expect(pool.size()).toBe(1);
    expect(pool.stats().rejectedByCode).toEqual({ TX_DUPLICATE: 1 });
  });

  it('keeps the first of a double-spend pair and refuses the second with NONCE_IN_USE', () => {
    const harness = poolHarness({ balance: 100n });
    const [alice, bob, carol] = harness.members;
    const toBob = transfer(alice, bob, 100n, 0n);
    const toCarol = transfer(alice, carol, 100n, 0n);
    expect(harness.pool.add(toBob, 'rest').accepted).toBe(true);
    expect(refusal(harness.pool.add(toCarol, 'peer')).code).toBe(MempoolErrorCode.NONCE_IN_USE);
    expect(harness.pool.selectForBlock(10)).toEqual([toBob]);
    const { built } = harness.commit(harness.pool.selectForBlock(10));
    expect(built.rejected).toEqual([]);
    expect(harness.state.account(toHexAddress(carol.address))?.balance).toBe(100n);
    expect(harness.state.account(toHexAddress(bob.address))?.balance).toBe(200n);
    // Once committed, the other half of the pair is a replay.
    expect(refusal(harness.pool.add(toCarol, 'peer')).code).toBe(ChainErrorCode.NONCE_REPLAY);
  });

  it('refuses a transaction for another chain with WRONG_CHAIN_ID', () => {
    const { pool, members } = poolHarness();
    const tx = signTx(members[0], 0n, { type: TxType.TRANSFER, to: members[1].address, amount: 1n }, 'other-chain');
    expect(refusal(pool.add(tx, 'rest')).code).toBe(ChainErrorCode.WRONG_CHAIN_ID);
  });

  it('refuses senders that are not active members: NOT_A_MEMBER, MEMBER_SUSPENDED, removed', () => {
    const { pool, members, state } = poolHarness();
    const stranger = testAccount('stranger');
    expect(refusal(pool.add(transfer(stranger, members[0], 1n, 0n), 'rest')).code).toBe(ChainErrorCode.NOT_A_MEMBER);
    const suspended = state.members.get(members[1].publicKeyHex);
    state.members.set(members[1].publicKeyHex, { ...suspended!, status: 'suspended' });
    expect(refusal(pool.add(transfer(members[1], members[0], 1n, 0n), 'rest')).code).toBe(ChainErrorCode.MEMBER_SUSPENDED);
    state.members.set(members[2].publicKeyHex, { ...suspended!, status: 'removed' });
    expect(refusal(pool.add(transfer(members[2], members[0], 1n, 0n), 'rest')).code).toBe(ChainErrorCode.NOT_A_MEMBER);
  });

  it('takes governance types only from a governance key, member or not (NOT_GOVERNANCE)', () => {
    const { pool, members, governance } = poolHarness();
    const newcomer = testAccount('newcomer');
    const add = { type: TxType.MEMBER_ADD, publicKey: newcomer.publicKey, role: 1, organization: 'Org2' } as const;
    expect(refusal(pool.add(signTx(members[0], 0n, add), 'rest')).code).toBe(ChainErrorCode.NOT_GOVERNANCE);
    expect(pool.add(signTx(governance, 0n, add), 'rest')).toMatchObject({ accepted: true, status: 'ready' });
  });

  it('refuses nonces below the account nonce (NONCE_REPLAY) and beyond the window (NONCE_TOO_FAR)', () => {
    const { pool, members, state } = poolHarness({ config: { maxNonceAheadOfState: 10 } });
    const [alice, bob] = members;
    state.accounts.set(toHexAddress(alice.address), { balance: 1000n, nonce: 5n });
    expect(refusal(pool.add(unsignedTransfer(alice, bob, 1n, 4n), 'rest')).code).toBe(ChainErrorCode.NONCE_REPLAY);
    expect(refusal(pool.add(unsignedTransfer(alice, bob, 1n, 16n), 'rest')).code).toBe(MempoolErrorCode.NONCE_TOO_FAR);
    expect(pool.add(unsignedTransfer(alice, bob, 1n, 15n), 'rest')).toMatchObject({ accepted: true, status: 'queued' });
    expect(pool.add(unsignedTransfer(alice, bob, 1n, 5n), 'rest')).toMatchObject({ accepted: true, status: 'ready' });
  });

  it('refuses transfers over the chain limit (AMOUNT_OVER_LIMIT) and to the sender itself (SELF_TRANSFER)', () => {
    const { pool, members, rules } = poolHarness({ balance: 10n ** 15n });
    expect(refusal(pool.add(unsignedTransfer(members[0], members[1], rules.maxTransferAmount + 1n, 0n), 'rest')).code).toBe(
      ChainErrorCode.AMOUNT_OVER_LIMIT,
    );
    expect(pool.add(unsignedTransfer(members[0], members[1], rules.maxTransferAmount, 0n), 'rest').accepted).toBe(true);
    expect(refusal(pool.add(unsignedTransfer(members[1], members[1], 1n, 0n), 'rest')).code).toBe(ChainErrorCode.SELF_TRANSFER);
  });

  it('refuses a transfer the balance cannot cover on top of the sender’s pooled transfers (INSUFFICIENT_BALANCE)', () => {
    const { pool, members } = poolHarness({ balance: 1000n });
    const [alice, bob] = members;
    expect(refusal(pool.add(unsignedTransfer(alice, bob, 1001n, 0n), 'rest')).code).toBe(ChainErrorCode.INSUFFICIENT_BALANCE);
    expect(pool.add(unsignedTransfer(alice, bob, 600n, 0n), 'rest').accepted).toBe(true);
    expect(refusal(pool.add(unsignedTransfer(alice, bob, 401n, 1n), 'rest')).code).toBe(ChainErrorCode.INSUFFICIENT_BALANCE);
    expect(pool.add(unsignedTransfer(alice, bob, 400n, 1n), 'rest').accepted).toBe(true);
    // Records move nothing, so they stay admissible with the balance exhausted.
    expect(pool.add(recordTx(alice, 2n, 'doc/1'), 'rest').accepted).toBe(true);
  });

  it('refuses a gap-filling transfer that would leave a higher pooled nonce unaffordable', () => {
    const { pool, members } = poolHarness({ balance: 1000n });
    const [alice, bob] = members;
    expect(pool.add(unsignedTransfer(alice, bob, 900n, 1n), 'rest')).toMatchObject({ accepted: true, status: 'queued' });
    expect(refusal(pool.add(unsignedTransfer(alice, bob, 200n, 0n), 'rest')).code).toBe(ChainErrorCode.INSUFFICIENT_BALANCE);
    expect(pool.add(unsignedTransfer(alice, bob, 100n, 0n), 'rest')).toMatchObject({ accepted: true, status: 'ready' });
    expect(pool.readyCount()).toBe(2);
  });

  it('applies the chain’s size rules: TX_TOO_LARGE and PAYLOAD_TOO_LARGE', () => {
    const { members, state, rules } = poolHarness();
    const strict = new Mempool({}, state, { ...rules, maxTxBytes: 300, maxRecordValueBytes: 100 });
    const big = recordTx(members[0], 0n, 'doc/big', 'x'.repeat(400));
    expect(refusal(strict.add(big, 'rest')).code).toBe(ChainErrorCode.TX_TOO_LARGE);
    const medium = recordTx(members[0], 0n, 'doc/medium', 'x'.repeat(150));
    expect(refusal(strict.add(medium, 'rest')).code).toBe(ChainErrorCode.PAYLOAD_TOO_LARGE);
    expect(strict.add(recordTx(members[0], 0n, 'doc/small', 'x'.repeat(100)), 'rest').accepted).toBe(true);
  });

  it('refuses a record whose key exists on chain (RECORD_EXISTS) or is written by a pooled tx (RECORD_KEY_PENDING)', () => {
    const harness = poolHarness();
    const [alice, bob] = harness.members;
    const first = recordTx(alice, 0n, 'doc/1');
    harness.pool.add(first, 'rest');
    expect(refusal(harness.pool.add(recordTx(bob, 0n, 'doc/1', 'other'), 'rest')).code).toBe(MempoolErrorCode.RECORD_KEY_PENDING);
    harness.commit(harness.pool.selectForBlock(10));
    expect(refusal(harness.pool.add(recordTx(bob, 0n, 'doc/1', 'other'), 'rest')).code).toBe(ChainErrorCode.RECORD_EXISTS);
  });

  it('counts refusals by code for metrics', () => {
    const { pool, members } = poolHarness({ balance: 10n });
    pool.add(unsignedTransfer(members[0], members[1], 11n, 0n), 'rest');
    pool.add(unsignedTransfer(members[0], members[1], 12n, 0n), 'kafka');
    pool.add(unsignedTransfer(members[0], members[0], 1n, 0n), 'kafka');
    expect(pool.stats().rejectedByCode).toEqual({ INSUFFICIENT_BALANCE: 2, SELF_TRANSFER: 1 });
  });
});

function toHexAddress(address: Uint8Array): string {
  return Buffer.from(address).toString('hex');
}
