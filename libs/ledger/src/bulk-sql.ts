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

/**
 * Multi-row INSERT (optionally upsert) through the manager's connection, bypassing entity
 * hydration: the block commit writes thousands of rows, and TypeORM's query builder costs
 * more than the database itself at that volume. `ON CONFLICT ... DO UPDATE SET x = excluded.x`
 * has the same meaning on SQLite (3.24+) and Postgres.
 */
/** The table name to use in raw SQL: schema-qualified on Postgres when the connection has a schema. */
export function qualifiedTable(manager: EntityManager | DataSource, table: string): string {
  const options = manager instanceof DataSource ? manager.options : manager.connection.options;
  const schema = options.type === 'postgres' ? (options as { schema?: string }).schema : undefined;
  return schema ? `${quote(schema)}.${quote(table)}` : quote(table);
}

export async function bulkInsert(manager: EntityManager, table: string, columns: readonly string[], rows: readonly SqlValue[][], onConflict: OnConflict = { kind: 'error' }): Promise<void> {
  if (rows.length === 0) return;
  const postgres = manager.connection.options.type === 'postgres';
  const target = qualifiedTable(manager, table);
  let conflictClause = '';
  if (onConflict.kind === 'ignore') conflictClause = ` ON CONFLICT (${onConflict.keys.map(quote).join(', ')}) DO NOTHING`;
  if (onConflict.kind === 'update') {
    conflictClause = ` ON CONFLICT (${onConflict.keys.map(quote).join(', ')}) DO UPDATE SET ${onConflict.columns.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`;
  }
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (const part of chunk(rows, rowsPerStatement)) {
    let index = 0;
    const tuples = part.map(() => `(${columns.map(() => (postgres ? `$${++index}` : '?')).join(', ')})`);
    const sql = `INSERT INTO ${target} (${columns.map(quote).join(', ')}) VALUES ${tuples.join(', ')}${conflictClause}`;
    await manager.query(sql, part.flat());
  }
}
