import type { DataSource } from 'typeorm';
import { expect } from 'vitest';
import { type Genesis, type Transaction } from '#chain';
import { Ledger, openLedgerDataSource, qualifiedTable, txHashKey, verifyLedger, type LedgerDatabase } from '#ledger';
import { type TestAccount, transfer } from './chain-fixtures.js';
import { commitTxs } from './ledger-fixtures.js';

async function commitTransfers(ledger: Ledger, members: readonly TestAccount[], blocks: number): Promise<Transaction[]> {
  const committed: Transaction[] = [];
  for (let b = 0; b < blocks; b++) {
    const txs = members.map((from, i) => transfer(from, members[(i + 1) % members.length], BigInt(1 + b), BigInt(b)));
    await commitTxs(ledger, txs);
    committed.push(...txs);
  }
  return committed;
}

/** Rolls back the newest migrations, down to and including `name`. */
export async function undoMigrationsThrough(dataSource: DataSource, name: string): Promise<void> {
  const table = qualifiedTable(dataSource, 'ledger_migrations');
  for (;;) {
    const [newest] = (await dataSource.query(`SELECT "name" FROM ${table} ORDER BY "timestamp" DESC LIMIT 1`)) as Array<{ name: string }>;
    if (!newest) throw new Error(`migration ${name} was never run`);
    await dataSource.undoLastMigration({ transaction: 'each' });
    if (newest.name === name) return;
  }
}

/**
 * Commits transactions, rolls the hash-key migration back (transactions keyed by hash text
 * again) and forward, and checks that every transaction is still found by its hash, its key is
 * the one `txHashKey` computes, and the ledger verifies.
 */
export async function checkHashKeyMigrationRoundTrip(database: LedgerDatabase, genesis: Genesis, members: readonly TestAccount[]): Promise<void> {
  const ledger = await Ledger.open({ database, genesis });
  const txs = await commitTransfers(ledger, members, 3);
  const head = ledger.headHash;
  await ledger.close();

  const dataSource = await openLedgerDataSource(database);
  await undoMigrationsThrough(dataSource, 'TransactionHashKey1764000000004');
  // Hashes are hex: safe to inline, and it keeps one statement for both drivers' placeholders.
  const legacy = (await dataSource.query(`SELECT * FROM ${qualifiedTable(dataSource, 'ledger_transactions')} WHERE "hash" = '${txs[0].hashHex}'`)) as Array<Record<string, unknown>>;
  expect(legacy).toHaveLength(1);
  expect(Object.keys(legacy[0])).not.toContain('hash_key');
  await dataSource.destroy();

  const reopened = await Ledger.open({ database, genesis });
  for (const [index, tx] of txs.entries()) {
    expect(await reopened.getTransaction(tx.hashHex)).toMatchObject({ height: Math.floor(index / members.length) + 1, position: index % members.length });
  }
  const keyed = await openLedgerDataSource(database);
  const rows = (await keyed.query(`SELECT "hash", "hash_key" FROM ${qualifiedTable(keyed, 'ledger_transactions')}`)) as Array<{ hash: string; hash_key: number | string }>;
  expect(rows).toHaveLength(txs.length);
  for (const row of rows) expect(Number(row.hash_key)).toBe(txHashKey(row.hash));
  await keyed.destroy();
  expect(await reopened.committedAmong(txs.map((tx) => tx.hashHex))).toEqual(new Set(txs.map((tx) => tx.hashHex)));
  await reopened.close();
  expect(await verifyLedger({ database, genesis })).toMatchObject({ ok: true, height: 3, headHash: head });
}
