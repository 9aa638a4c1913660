import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '#chain';
import { Ledger, verifyLedger, type LedgerDatabase } from '#ledger';
import { testAccount, testGenesis, transfer } from '../support/chain-fixtures.js';
import { commitTxs } from '../support/ledger-fixtures.js';
import { dropSchema, requirePostgres } from '../support/postgres.js';
import { TEST_POSTGRES_URL, uniqueSchema } from '../support/temp.js';
import { checkHashKeyMigrationRoundTrip } from '../support/ledger-migration-checks.js';

const genesis = testGenesis({ members: 3, balance: 1_000_000n });
const [alice, bob, carol] = [0, 1, 2].map((i) => testAccount(`member-${i}`));
const schema = uniqueSchema('ledger');
const migrationSchema = uniqueSchema('ledger-migration');
const database: LedgerDatabase = { kind: 'postgres', url: TEST_POSTGRES_URL, schema };

describe('ledger on Postgres', () => {
  beforeAll(() => requirePostgres());
  afterAll(async () => {
    await dropSchema(schema);
    await dropSchema(migrationSchema);
  });

  it('commits, reopens with the same head and state root, and verifies', async () => {
    const ledger = await Ledger.open({ database, genesis });
    for (let block = 0; block < 4; block++) {
      const n = BigInt(block * 2);
      await commitTxs(ledger, [transfer(alice, bob, 5n, n), transfer(alice, carol, 7n, n + 1n), transfer(bob, carol, 1n, BigInt(block))]);
    }
    const head = ledger.headHash;
    const root = toHex(ledger.state.root());
    await ledger.close();
    const reopened = await Ledger.open({ database, genesis });
    expect(reopened.height).toBe(4n);
    expect(reopened.headHash).toBe(head);
    expect(toHex(reopened.state.root())).toBe(root);
    expect(reopened.state.account(toHex(alice.address))).toEqual({ balance: 1_000_000n - 48n, nonce: 8n });
    await reopened.close();
    expect(await verifyLedger({ database, genesis })).toMatchObject({ ok: true, height: 4, headHash: head });
  });

  it('keeps every transaction findable by hash across the hash-key migration, back and forward', async () => {
    await checkHashKeyMigrationRoundTrip({ kind: 'postgres', url: TEST_POSTGRES_URL, schema: migrationSchema }, genesis, [alice, bob, carol]);
  });
});
