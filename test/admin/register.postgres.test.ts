import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegisterDataSource, openRegister } from '../../apps/admin/src/db/data-source.js';
import { startAdminFixture, type AdminFixture } from './support/admin-fixture.js';
import { exerciseRegister } from './support/register-scenario.js';

const POSTGRES_URL = process.env.ADMIN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function assertPostgresReachable(): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`Postgres is unreachable at ${POSTGRES_URL} (set ADMIN_TEST_POSTGRES_URL): ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

// Each run gets its own schema, so runs never see each other's rows.
describe('register on Postgres (same migrations as SQLite)', () => {
  const schema = `admin_test_${randomBytes(6).toString('hex')}`;
  let fx: AdminFixture | undefined;

  beforeAll(async () => {
    await assertPostgresReachable();
    fx = await startAdminFixture({ config: { databaseUrl: POSTGRES_URL, databaseSchema: schema } });
  });
  afterAll(async () => {
    await fx?.close();
    await dropSchema(schema);
  });

  it('supports the whole member and certificate lifecycle', async () => {
    await exerciseRegister(fx!);
  });

  it('creates the tables with the declared column types, and migrations are idempotent and reversible', async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    const columns = await client.query<{ table_name: string; column_name: string; data_type: string }>(
      'SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = $1',
      [schema],
    );
    await client.end();
    const typeOf = (table: string, column: string): string | undefined => columns.rows.find((row) => row.table_name === table && row.column_name === column)?.data_type;
    expect(typeOf('invitations', 'auto_approve')).toBe('boolean');
    expect(typeOf('users', 'disabled')).toBe('boolean');
    expect(typeOf('audit_log', 'seq')).toBe('integer');
    expect(typeOf('certificates', 'pem')).toBe('text');
    expect(typeOf('members', 'account_public_key')).toBe('character varying');

    const reopened = await openRegister({ dataDir: '/nonexistent', databaseUrl: POSTGRES_URL, databaseSchema: schema });
    expect(await reopened.showMigrations()).toBe(false);
    await reopened.destroy();

    // Reverting on a scratch schema proves `down` drops everything `up` made.
    const scratch = `${schema}_scratch`;
    const scratchSource = await openRegister({ dataDir: '/nonexistent', databaseUrl: POSTGRES_URL, databaseSchema: scratch });
    await scratchSource.undoLastMigration();
    await scratchSource.undoLastMigration();
    const tables = await scratchSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> 'admin_migrations'`, [scratch]);
    expect(tables).toEqual([]);
    await scratchSource.destroy();
    await dropSchema(scratch);
    expect(createRegisterDataSource({ dataDir: '/x', databaseUrl: POSTGRES_URL }).options.synchronize).toBe(false);
  });
});
