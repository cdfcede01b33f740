import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { ROOT_DIR } from '../config';
import { acquireDataDirLock, type DataDirLock } from './lock';
import * as schema from './schema/index';

/** The one database type repos use, whichever driver is underneath (PGlite or node-postgres). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export const MIGRATIONS_DIR = path.join(ROOT_DIR, 'server/drizzle');

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /**
   * `SELECT * FROM <fn>(<json>::jsonb)` in autocommit (its own transaction), by each driver's
   * cheapest route: the hot path's one statement per batch (#3). On PostgreSQL a named prepared
   * statement; on PGlite one simple-protocol call with the JSON as a dollar-quoted literal
   * (a parameterised query costs PGlite six calls into its WASM). `fn` is a trusted name from
   * our own code, never input.
   */
  callJson<R>(fn: string, json: string): Promise<R[]>;
  /** Applies pending migrations from server/drizzle (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  /** PostgreSQL server. */
  | { url: string }
  /** Embedded PGlite in `<dataDir>/pgdata`, guarded by the data-dir lock. */
  | { dataDir: string }
  /** An already-open PGlite (tests clone a migrated one per test); closed with the database. */
  | { pglite: PGlite };

/** Opens the database chosen by the options. Throws DataDirLockedError if another process holds the data dir. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if ('url' in opts) {
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
    // An idle connection that PostgreSQL ends (restart, admin command, network) is dropped by the
    // pool and replaced on the next query; without a listener its 'error' would end the process (#3).
    pool.on('error', (err) => console.error(`[error] PostgreSQL connection lost (the pool opens a new one): ${err.message}`));
    const db = drizzlePg({ client: pool, schema });
    return {
      db,
      kind: 'postgres',
      callJson: async <R>(fn: string, json: string) =>
        (await pool.query<R & pg.QueryResultRow>({ name: fn, text: `SELECT * FROM ${fn}($1::jsonb)`, values: [json] })).rows,
      migrate: () => migratePg(db, { migrationsFolder: MIGRATIONS_DIR }),
      close: () => pool.end(),
    };
  }

  let lock: DataDirLock | undefined;
  let client: PGlite;
  if ('dataDir' in opts) {
    lock = acquireDataDirLock(opts.dataDir);
    try {
      client = await PGlite.create(path.join(opts.dataDir, 'pgdata'));
    } catch (err) {
      lock.release();
      throw err;
    }
  } else {
    client = opts.pglite;
  }
  const db = drizzlePglite({ client, schema });
  return {
    db,
    kind: 'pglite',
    callJson: async <R>(fn: string, json: string) => {
      const [result] = await client.exec(`SELECT * FROM ${fn}(${dollarQuoted(json)}::jsonb)`);
      return (result?.rows ?? []) as R[];
    },
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_DIR }),
    close: async () => {
      try {
        if (!client.closed) await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** `text` as a PostgreSQL dollar-quoted literal, with a tag that does not occur in it (so nothing in `text` can end it). */
export function dollarQuoted(text: string): string {
  let tag = '$j$';
  for (let i = 0; text.includes(tag); i++) tag = `$j${i}$`;
  return `${tag}${text}${tag}`;
}
