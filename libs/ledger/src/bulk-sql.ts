import { DataSource, type EntityManager } from 'typeorm';
import { chunk } from './encoding.js';

/** A value bound to a SQL parameter. */
export type SqlValue = string | number | null;

/** How to handle rows whose key already exists. */
export type OnConflict = { kind: 'error' } | { kind: 'ignore'; keys: readonly string[] } | { kind: 'update'; keys: readonly string[]; columns: readonly string[] };

// SQLite allows 32,766 bound parameters per statement, Postgres 65,535: stay well below both.
const MAX_PARAMETERS = 8000;

function quote(identifier: string): string {
  return `"${identifier}"`;
}

// Rows are written with raw SQL, bypassing entity hydration: a block commit writes thousands of
// rows, and TypeORM's query builder costs more than the database itself at that volume.
// `ON CONFLICT ... DO UPDATE SET x = excluded.x` means the same on SQLite (3.24+) and Postgres.

/** The table name to use in raw SQL: schema-qualified on Postgres when the connection has a schema. */
export function qualifiedTable(manager: EntityManager | DataSource, table: string): string {
  const options = manager instanceof DataSource ? manager.options : manager.connection.options;
  const schema = options.type === 'postgres' ? (options as { schema?: string }).schema : undefined;
  return schema ? `${quote(schema)}.${quote(table)}` : quote(table);
}

/** The parts of a better-sqlite3 connection that bulk inserts use. */
interface SqliteStatement {
  run(...params: SqlValue[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

const preparedStatements = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();

/** The better-sqlite3 connection behind `manager`, or undefined on another database. */
function sqliteConnection(manager: EntityManager): SqliteConnection | undefined {
  if (manager.connection.options.type !== 'better-sqlite3') return undefined;
  return (manager.connection.driver as unknown as { databaseConnection?: SqliteConnection }).databaseConnection;
}

function prepared(connection: SqliteConnection, sql: string): SqliteStatement {
  let byText = preparedStatements.get(connection);
  if (!byText) preparedStatements.set(connection, (byText = new Map()));
  let statement = byText.get(sql);
  if (!statement) byText.set(sql, (statement = connection.prepare(sql)));
  return statement;
}

/**
 * Inserts (optionally upserts) rows. On SQLite one prepared single-row statement runs per row
 * on the connection, inside the caller's transaction: SQLite is in-process, so a row costs a
 * call, and statements of thousands of parameters would cost more to parse and bind than to
 * run. On Postgres rows go in multi-row statements, each a round trip.
 */
export async function bulkInsert(manager: EntityManager, table: string, columns: readonly string[], rows: readonly SqlValue[][], onConflict: OnConflict = { kind: 'error' }): Promise<void> {
  if (rows.length === 0) return;
  const postgres = manager.connection.options.type === 'postgres';
  const target = qualifiedTable(manager, table);
  let conflictClause = '';
  if (onConflict.kind === 'ignore') conflictClause = ` ON CONFLICT (${onConflict.keys.map(quote).join(', ')}) DO NOTHING`;
  if (onConflict.kind === 'update') {
    conflictClause = ` ON CONFLICT (${onConflict.keys.map(quote).join(', ')}) DO UPDATE SET ${onConflict.columns.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`;
  }
  const sqlite = sqliteConnection(manager);
  if (sqlite) {
    const statement = prepared(sqlite, `INSERT INTO ${target} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})${conflictClause}`);
    for (const row of rows) statement.run(...row);
    return;
  }
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (const part of chunk(rows, rowsPerStatement)) {
    let index = 0;
    const tuples = part.map(() => `(${columns.map(() => (postgres ? `$${++index}` : '?')).join(', ')})`);
    const sql = `INSERT INTO ${target} (${columns.map(quote).join(', ')}) VALUES ${tuples.join(', ')}${conflictClause}`;
    await manager.query(sql, part.flat());
  }
}
