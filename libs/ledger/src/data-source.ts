import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { LEDGER_MIGRATIONS } from '../../../migrations/ledger/index.js';
import { LEDGER_ENTITIES } from './entities/index.js';

/** Where the ledger lives: a SQLite file (default) or Postgres (`DATABASE_URL`). */
export type LedgerDatabase =
  | { kind: 'sqlite'; path: string; synchronousFull?: boolean }
  | { kind: 'postgres'; url: string; schema?: string };

/** Picks Postgres when `databaseUrl` is set, else a SQLite file at `sqlitePath`. */
export function ledgerDatabaseFrom(options: { databaseUrl?: string; sqlitePath: string; schema?: string }): LedgerDatabase {
  return options.databaseUrl ? { kind: 'postgres', url: options.databaseUrl, schema: options.schema } : { kind: 'sqlite', path: options.sqlitePath };
}

function optionsFor(database: LedgerDatabase): DataSourceOptions {
  const common = { entities: LEDGER_ENTITIES, migrations: LEDGER_MIGRATIONS, migrationsTableName: 'ledger_migrations', synchronize: false, logging: false } as const;
  if (database.kind === 'postgres') {
    return { ...common, type: 'postgres', url: database.url, schema: database.schema, extra: { max: 8 } };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: database.path,
    // WAL lets REST reads proceed during a block commit; FULL sync makes every committed block
    // survive power loss, not only a killed process.
    prepareDatabase: (db: { pragma(statement: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${database.synchronousFull === false ? 'NORMAL' : 'FULL'}`);
      db.pragma('foreign_keys = ON');
    },
  };
}

/** Opens the database and brings its schema up to date with the ledger migrations. */
export async function openLedgerDataSource(database: LedgerDatabase): Promise<DataSource> {
  if (database.kind === 'sqlite' && database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true });
  if (database.kind === 'postgres' && database.schema) {
    const bootstrap = new DataSource({ type: 'postgres', url: database.url });
    await bootstrap.initialize();
    await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS "${database.schema.replace(/"/g, '')}"`);
    await bootstrap.destroy();
  }
  const dataSource = new DataSource(optionsFor(database));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
