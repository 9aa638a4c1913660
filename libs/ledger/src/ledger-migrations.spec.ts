import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Ledger, openLedgerDataSource, txHashKey } from '#ledger';
import { testAccount, testGenesis, transfer } from '../../../test/support/chain-fixtures.js';
import { commitTxs, tempSqliteLedger } from '../../../test/support/ledger-fixtures.js';
import { checkHashKeyMigrationRoundTrip, undoMigrationsThrough } from '../../../test/support/ledger-migration-checks.js';

const genesis = testGenesis({ members: 4, balance: 1_000_000n });
const members = [0, 1, 2, 3].map((i) => testAccount(`member-${i}`));

describe('transaction hash keys', () => {
  it('are the first 48 bits of the hash, and -1 for text that is not a hash', () => {
    expect(txHashKey(`ffffffffffff${'0'.repeat(52)}`)).toBe(2 ** 48 - 1);
    expect(txHashKey(`000000000102${'f'.repeat(52)}`)).toBe(0x0102);
    expect(Number.isSafeInteger(txHashKey('ab'.repeat(32)))).toBe(true);
    expect(txHashKey('not a hash')).toBe(-1);
    expect(txHashKey('ABCDEF012345'.padEnd(64, '0'))).toBe(-1);
    expect(txHashKey('')).toBe(-1);
  });

  it('survive migrating an existing SQLite ledger back to hash-keyed rows and forward again', async () => {
    await checkHashKeyMigrationRoundTrip(tempSqliteLedger(), genesis, members);
  });

  it('find only the transaction whose whole hash matches when another shares its key', async () => {
    const database = tempSqliteLedger();
    const ledger = await Ledger.open({ database, genesis });
    const committed = transfer(members[0], members[1], 5n, 0n);
    await commitTxs(ledger, [committed]);
    // A row under the same 48-bit key, as a colliding hash would be stored.
    const twin = `${committed.hashHex.slice(0, 63)}${committed.hashHex.endsWith('0') ? '1' : '0'}`;
    const db = new Database(database.path);
    db.prepare('INSERT INTO ledger_transactions (height, position, hash, hash_key, sender, nonce, type, raw) SELECT 99, 0, ?, hash_key, sender, nonce, type, raw FROM ledger_transactions WHERE hash = ?').run(twin, committed.hashHex);
    db.close();

    expect(await ledger.getTransaction(committed.hashHex)).toMatchObject({ height: 1, position: 0 });
    expect(await ledger.getTransaction(twin)).toMatchObject({ height: 99, position: 0 });
    const unknown = `${committed.hashHex.slice(0, 62)}${committed.hashHex.endsWith('00') ? '11' : '00'}`;
    expect(await ledger.getTransaction(unknown)).toBeUndefined();
    expect(await ledger.getOutcome(unknown)).toBeUndefined();
    expect(await ledger.committedAmong([committed.hashHex, unknown])).toEqual(new Set([committed.hashHex]));
    await ledger.close();
  });
});

describe('receipts of committed transactions', () => {
  it('are removed by the migration, rejections of transactions that never committed kept', async () => {
    const database = tempSqliteLedger();
    const ledger = await Ledger.open({ database, genesis });
    const committed = [transfer(members[0], members[1], 5n, 0n), transfer(members[0], members[1], 6n, 1n)];
    await commitTxs(ledger, committed);
    await ledger.close();
    const neverCommitted = transfer(members[2], members[1], 1n, 7n);

    const dataSource = await openLedgerDataSource(database);
    await undoMigrationsThrough(dataSource, 'ReceiptsOfCommitted1764000000005');
    await dataSource.destroy();
    const db = new Database(database.path);
    const insert = db.prepare('INSERT INTO ledger_receipts (tx_hash, status, height, position, code, message) VALUES (?, ?, ?, ?, ?, ?)');
    insert.run(committed[0].hashHex, 'committed', 1, 0, 'OK', null);
    insert.run(committed[1].hashHex, 'rejected', null, null, 'NONCE_REPLAY', 'dropped after block 1: NONCE_REPLAY');
    insert.run(neverCommitted.hashHex, 'rejected', null, null, 'NONCE_GAP', 'never executable');
    db.close();

    const reopened = await Ledger.open({ database, genesis });
    await reopened.close();
    const check = new Database(database.path, { readonly: true });
    const rows = check.prepare('SELECT tx_hash AS hash, code FROM ledger_receipts').all();
    check.close();
    expect(rows).toEqual([{ hash: neverCommitted.hashHex, code: 'NONCE_GAP' }]);
  });
});
