import pg from 'pg';
import { TEST_POSTGRES_URL } from './temp.js';

/**
 * Fails with a clear message when the test Postgres is not reachable: Postgres-backed tests
 * are part of the suite, never silently skipped.
 */
export async function requirePostgres(url = TEST_POSTGRES_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `Postgres is required at ${url} (set TEST_DATABASE_URL to override). Start it with ` +
        `'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start' or run .ci/run, which installs and starts it. Cause: ${(error as Error).message}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops a schema created for one test run. */
export async function dropSchema(schema: string, url = TEST_POSTGRES_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema.replace(/"/g, '')}" CASCADE`);
  await client.end();
}
