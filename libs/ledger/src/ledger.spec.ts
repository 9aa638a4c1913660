import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildBlock, executeBlock, PendingState, toHex } from '#chain';
import { Ledger, verifyLedger, type BlockToCommit } from '#ledger';
import { testAccount, testGenesis, transfer, signTx } from '../../../test/support/chain-fixtures.js';
import { commitTxs, tempSqliteLedger } from '../../../test/support/ledger-fixtures.js';
import { TxType } from '#chain';

const genesis = testGenesis({ members: 4, balance: 1_000_000n });
const members = [0, 1, 2, 3].map((i) => testAccount(`member-${i}`));

async function fillLedger(ledger: Ledger, blocks: number, txsPerBlock: number): Promise<void> {
  const nonces = new Map<string, bigint>();
  for (let b = 0; b < blocks; b++) {
    const txs = Array.from({ length: txsPerBlock }, (_, i) => {
      const from = members[i % 4];
      const nonce = nonces.get(from.publicKeyHex) ?? 0n;
      nonces.set(from.publicKeyHex, nonce + 1n);
      return i % 5 === 4
        ? signTx(from, nonce, { type: TxType.RECORD, key: `doc/${b}/${i}`, value: Uint8Array.of(b, i) })
        : transfer(from, members[(i + 1) % 4], BigInt(1 + i), nonce);
    });
    await commitTxs(ledger, txs);
  }
}

describe('ledger on SQLite', () => {
  it('commits blocks, reopens with the same head and state, and verifies by replay', async () => {
    const database = tempSqliteLedger();
    const ledger = await Ledger.open({ database, genesis });
    await fillLedger(ledger, 5, 40);
    const head = ledger.headHash;
    const root = toHex(ledger.state.root());
    const tx = (await ledger.getBlock(3))?.txs[7];
    await ledger.close();

    const reopened = await Ledger.open({ database, genesis });
    expect(reopened.height).toBe(5n);
    expect(reopened.headHash).toBe(head);
    expect(toHex(reopened.state.root())).toBe(root);
    expect(await reopened.getTransaction(tx?.hashHex ?? '')).toMatchObject({ height: 3, position: 7 });
    expect(await reopened.getOutcome(tx?.hashHex ?? '')).toMatchObject({ status: 'committed', height: 3, position: 7, code: 'OK' });
    expect(await reopened.txHashesOfBlock(3)).toHaveLength(40);
    await reopened.close();

    const verdict = await verifyLedger({ database, genesis });
    expect(verdict).toMatchObject({ ok: true, height: 5, headHash: head });
  });

  it('refuses to open a database of another genesis', async () => {
    const database = tempSqliteLedger();
    await (await Ledger.open({ database, genesis })).close();
    const other = testGenesis({ members: 2 });
    await expect(Ledger.open({ database, genesis: other })).rejects.toMatchObject({ code: 'GENESIS_MISMATCH' });
  });

  it('detects a tampered transaction, balance or missing block', async () => {
    const database = tempSqliteLedger();
    const ledger = await Ledger.open({ database, genesis });
    await fillLedger(ledger, 3, 10);
    await ledger.close();
    const db = new Database(database.path);
    db.prepare("UPDATE ledger_accounts SET balance = '999999999' WHERE rowid = (SELECT min(rowid) FROM ledger_accounts)").run();
    db.close();
    await expect(Ledger.open({ database, genesis })).rejects.toMatchObject({ code: 'LEDGER_CORRUPT' });
    expect(await verifyLedger({ database, genesis })).toMatchObject({ ok: false, problem: { code: 'STATE_MISMATCH' } });

    const second = tempSqliteLedger();
    const ledger2 = await Ledger.open({ database: second, genesis });
    await fillLedger(ledger2, 3, 10);
    await ledger2.close();
    const db2 = new Database(second.path);
    const row = db2.prepare('SELECT hash, raw FROM ledger_transactions WHERE height = 2 AND position = 3').get() as { hash: string; raw: string };
    const raw = Buffer.from(row.raw, 'base64');
    raw[raw.length - 1] ^= 1; // flip a signature bit
    db2.prepare('UPDATE ledger_transactions SET raw = ? WHERE hash = ?').run(raw.toString('base64'), row.hash);
    db2.close();
    expect(await verifyLedger({ database: second, genesis })).toMatchObject({ ok: false, problem: { height: 2, code: 'BAD_TX_ROOT' } });

    const third = tempSqliteLedger();
    const ledger3 = await Ledger.open({ database: third, genesis });
    await fillLedger(ledger3, 3, 2);
    await ledger3.close();
    const db3 = new Database(third.path);
    db3.prepare('DELETE FROM ledger_blocks WHERE height = 2').run();
    db3.close();
    expect(await verifyLedger({ database: third, genesis })).toMatchObject({ ok: false, problem: { height: 2, code: 'MISSING_BLOCK' } });
  });

  it('reports a committed transaction as committed whatever rejection was recorded for it, before or after', async () => {
    const ledger = await Ledger.open({ database: tempSqliteLedger(), genesis });
    const first = transfer(members[0], members[1], 5n, 0n);
    const second = transfer(members[0], members[1], 6n, 1n);
    await ledger.recordRejections([{ hashHex: first.hashHex, code: 'NONCE_GAP', message: 'rejected before it committed' }]);
    expect(await ledger.getOutcome(first.hashHex)).toMatchObject({ status: 'rejected', code: 'NONCE_GAP' });
    await commitTxs(ledger, [first, second]);
    await ledger.recordRejections([{ hashHex: second.hashHex, code: 'NONCE_REPLAY', message: 'a resubmission after it committed' }]);
    expect(await ledger.getOutcome(first.hashHex)).toEqual({ hashHex: first.hashHex, status: 'committed', height: 1, position: 0, code: 'OK' });
    expect(await ledger.getOutcome(second.hashHex)).toEqual({ hashHex: second.hashHex, status: 'committed', height: 1, position: 1, code: 'OK' });
    expect(await ledger.getOutcome('00'.repeat(32))).toBeUndefined();
    await ledger.close();
  });

  it('refuses a block that does not extend the head, leaving the ledger unchanged', async () => {
    const ledger = await Ledger.open({ database: tempSqliteLedger(), genesis });
    await fillLedger(ledger, 1, 2);
    const block = await ledger.getBlock(1);
    if (!block) throw new Error('block 1 missing');
    await expect(ledger.commitBlock(block, { diff: ledger.state as never, receipts: [] })).rejects.toMatchObject({ code: 'NOT_NEXT_BLOCK' });
    expect(ledger.height).toBe(1n);
    await ledger.close();
  });
});

describe('committing a run of blocks at once', () => {
  it('writes every block of the run in one transaction, validated one on top of the other, and reopens consistent', async () => {
    const database = tempSqliteLedger();
    const ledger = await Ledger.open({ database, genesis });
    const rules = ledger.rules;
    const state = new PendingState(ledger.state);
    let parent = ledger.headHeader;
    const run: BlockToCommit[] = [];
    for (let b = 0; b < 3; b++) {
      const txs = members.map((from, i) => transfer(from, members[(i + 1) % 4], BigInt(b + 1), BigInt(b)));
      const built = buildBlock(state, txs, { parent, timestampMs: BigInt(Date.now()), proposer: 'test', powDifficultyBits: 0, maxTxs: 100 }, { rules });
      expect(built.rejected).toEqual([]);
      // A replica validates block b on the uncommitted state after block b-1.
      const executed = executeBlock(state, built.block, parent, { rules }, 0);
      run.push({ block: built.block, executed });
      state.apply(executed.diff);
      parent = built.block.header;
    }
    await ledger.commitBlocks(run);
    expect(ledger.height).toBe(3n);
    expect(toHex(ledger.state.root())).toBe(toHex(run[2].block.header.stateRoot));
    await ledger.close();
    const reopened = await Ledger.open({ database, genesis });
    expect(reopened.height).toBe(3n);
    await reopened.close();
    expect(await verifyLedger({ database, genesis })).toMatchObject({ ok: true, height: 3 });
  });

  it('refuses a run with a gap and writes none of it', async () => {
    const database = tempSqliteLedger();
    const ledger = await Ledger.open({ database, genesis });
    const built = buildBlock(ledger.state, [transfer(members[0], members[1], 1n, 0n)], { parent: ledger.headHeader, timestampMs: BigInt(Date.now()), proposer: 'test', powDifficultyBits: 0, maxTxs: 10 }, { rules: ledger.rules });
    const executed = executeBlock(ledger.state, built.block, ledger.headHeader, { rules: ledger.rules }, 0);
    const gap = { ...built.block, header: { ...built.block.header, height: 3n } };
    await expect(ledger.commitBlocks([{ block: built.block, executed }, { block: gap, executed }])).rejects.toMatchObject({ code: 'NOT_NEXT_BLOCK' });
    expect(ledger.height).toBe(0n);
    expect(await ledger.getBlock(1)).toBeUndefined();
    await ledger.close();
  });
});
