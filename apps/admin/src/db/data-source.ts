import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ADMIN_MIGRATIONS } from '../../../../migrations/admin/index.js';
import { ADMIN_ENTITIES } from './entities/index.js';

/** Where the register lives. */
export interface RegisterLocation {
  dataDir: string;
  /** Postgres URL; otherwise `<dataDir>/admin.sqlite`. */
  databaseUrl?: string;
  /** Postgres schema (must exist or be creatable by the user). */
  databaseSchema?: string;
}

/** The SQLite file used when no Postgres URL is configured. */
export function sqlitePath(dataDir: string): string {
  return join(dataDir, 'admin.sqlite');
}

/** A DataSource for the register; never `synchronize`: the schema comes from migrations only. */
export function createRegisterDataSource(location: RegisterLocation): DataSource {
  if (location.databaseUrl) {
    return new DataSource({
      type: 'postgres',
      url: location.databaseUrl,
      schema: location.databaseSchema,
      entities: ADMIN_ENTITIES,
      migrations: ADMIN_MIGRATIONS,
      migrationsTableName: 'admin_migrations',
      synchronize: false,
      logging: false,
    });
  }
  mkdirSync(location.dataDir, { recursive: true });
  return new DataSource({
    type: 'better-sqlite3',
    database: sqlitePath(location.dataDir),
    entities: ADMIN_ENTITIES,
    migrations: ADMIN_MIGRATIONS,
    migrationsTableName: 'admin_migrations',
    synchronize: false,
    logging: false,
    // Writers wait instead of failing when the CLI and the server touch the file together.
    prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  });
}

/** Opens the register and applies pending migrations. */
export async function openRegister(location: RegisterLocation): Promise<DataSource> {
  const dataSource = createRegisterDataSource(location);
  await dataSource.initialize();
  try {
    if (location.databaseUrl && location.databaseSchema) {
      await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${location.databaseSchema.replace(/"/g, '')}"`);
    }
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
