import { getTableColumns, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './client';

/**
 * Runs a hand-written statement and returns its rows as the driver parsed them (both drivers
 * answer `{ rows }`). For hot paths only (#3): building a large statement with Drizzle's query
 * builder cost more CPU than PostgreSQL spent running it.
 */
export async function queryRows<R>(db: Db, query: SQL): Promise<R[]> {
  return ((await db.execute(query)) as unknown as { rows: R[] }).rows;
}

const columnsOf = new WeakMap<PgTable, [key: string, name: string, column: { mapFromDriverValue(v: unknown): unknown }][]>();

/**
 * The row Drizzle's `select()` would return, from `row_to_json(<row of table>)`: snake_case keys
 * become the schema's property names and each column maps its value as Drizzle does (timestamps
 * to Date, bigserial to number). Keys that are not columns of `table` are ignored.
 */
export function rowFromJson<T extends PgTable>(table: T, json: Record<string, unknown>): T['$inferSelect'] {
  let columns = columnsOf.get(table);
  if (!columns) {
    columns = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name, column]);
    columnsOf.set(table, columns);
  }
  const row: Record<string, unknown> = {};
  for (const [key, name, column] of columns) {
    const value = json[name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T['$inferSelect'];
}
