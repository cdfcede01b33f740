import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { QueryResultRow } from 'pg';
import { ROOT_DIR } from '../config';
import type { Logger } from '../log';
import type { JsonArgument } from './json';
import { acquireDataDirLock } from './lock';
import { callJsonOnPglite } from './pgliteCall';
import { PGliteWorkerClient } from './pgliteWorker';
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
   * statement; on PGlite one simple-protocol call (pgliteCall.ts). `fn` is a trusted name from
   * our own code, never input; `json` comes from jsonArgument() (#4: no string in it can fail the cast).
   */
  callJson<R>(fn: string, json: JsonArgument): Promise<R[]>;
  /** Applies pending migrations from server/drizzle (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * Settles when the database is gone for good while open: PGlite's thread died. (A PostgreSQL
   * connection that drops is replaced by the pool, so it never settles there.)
   */
  lost: Promise<Error>;
}

const never = new Promise<Error>(() => {});

/** The advisory lock key the migrations run under on PostgreSQL ("sidedesk" as a number: any constant of ours). */
const MIGRATION_LOCK = 0x5eded5c;

export type DatabaseOptions =
  /** PostgreSQL server. */
  | { url: string }
  /** Embedded PGlite in `<dataDir>/pgdata` on its own thread, guarded by the data-dir lock. */
  | { dataDir: string }
  /** An already-open PGlite (tests clone a migrated one per test); closed with the database. */
  | { pglite: PGlite };

/** Opens the database chosen by the options. Throws DataDirLockedError if another process holds the data dir. */
export async function openDatabase(opts: DatabaseOptions, log?: Logger): Promise<Database> {
  if ('url' in opts) {
    // The PostgreSQL driver loads only when a server is configured: an embedded start doesn't pay for it.
    const [{ default: pg }, { drizzle: drizzlePg }, { migrate: migratePg }] = await Promise.all([
      import('pg'),
      import('drizzle-orm/node-postgres'),
      import('drizzle-orm/node-postgres/migrator'),
    ]);
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
    // An idle connection that PostgreSQL ends (restart, admin command, network) is dropped by the
    // pool and replaced on the next query; without a listener its 'error' would end the process (#3).
    pool.on('error', (err) => {
      const line = 'PostgreSQL connection lost (the pool opens a new one)';
      if (log) log.error(line, err);
      else console.error(`${line}: ${err.message}`); // the CLI, talking to its user
    });
    const db = drizzlePg({ client: pool, schema });
    return {
      db,
      kind: 'postgres',
      callJson: async <R>(fn: string, json: string) =>
        (await pool.query<R & QueryResultRow>({ name: fn, text: `SELECT * FROM ${fn}($1::jsonb)`, values: [json] })).rows,
      migrate: async () => {
        // Several nodes may start at once on a new database (REDIS_URL): one migrates while the
        // others wait on this session lock, then find every migration applied.
        const session = await pool.connect();
        try {
          await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
          await migratePg(db, { migrationsFolder: MIGRATIONS_DIR });
        } finally {
          await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
          session.release();
        }
      },
      close: () => pool.end(),
      lost: never,
    };
  }

  if ('dataDir' in opts) {
    // The server's own data directory: PGlite on a thread of its own (#3), under the data-dir lock.
    const lock = acquireDataDirLock(opts.dataDir);
    let client: PGliteWorkerClient;
    try {
      client = await PGliteWorkerClient.open(path.join(opts.dataDir, 'pgdata'));
    } catch (err) {
      lock.release();
      throw err;
    }
    // Drizzle's PGlite driver uses only `query` and `transaction`, which the worker client offers.
    const db = drizzlePglite({ client: client as unknown as PGlite, schema });
    return {
      db,
      kind: 'pglite',
      callJson: (fn, json) => client.callJson(fn, json),
      lost: client.lost,
      migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_DIR }),
      close: async () => {
        try {
          await client.close();
        } finally {
          lock.release();
        }
      },
    };
  }

  // An open PGlite handed in (tests: a clone of a migrated database), on this thread.
  const client = opts.pglite;
  const db = drizzlePglite({ client, schema });
  return {
    db,
    kind: 'pglite',
    callJson: (fn, json) => callJsonOnPglite(client, fn, json),
    lost: never,
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_DIR }),
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}
