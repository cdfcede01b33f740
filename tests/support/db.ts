/**
 * Fast, isolated test databases (STACK-NOTES "Fast test databases with PGlite").
 * PGlite: one migrated instance per migration set, dumped to node_modules/.cache once; each test loads the dump (~0.3 s).
 * PostgreSQL (DATABASE_URL set): one migrated template database per migration set; each test
 * gets `CREATE DATABASE … TEMPLATE …` and drops it afterwards.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite, type Extensions } from '@electric-sql/pglite';
import pg from 'pg';
import { ROOT_DIR } from '../../server/src/config';
import { MIGRATIONS_DIR, openDatabase } from '../../server/src/db/client';

export type TestDatabase = ({ kind: 'pglite'; pglite: PGlite } | { kind: 'postgres'; url: string }) & {
  /** Drops the PostgreSQL database (PGlite clones are closed by the app that used them). */
  drop(): Promise<void>;
};

let dump: Promise<Blob> | undefined;

/** What the current migration files hash to: names the cached dump and the PostgreSQL template. */
function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const file of fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(fs.readFileSync(path.join(MIGRATIONS_DIR, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * The migrated PGlite data directory as a tar, built once per migration set and kept on disk:
 * vitest runs each test file in a fresh module scope, and starting PGlite and migrating it took
 * 5–25 s per file (most of a CI run's PGlite pass). Written to a temporary name and renamed, so
 * workers building it at once never read half a file.
 */
async function migratedDump(): Promise<Blob> {
  const cacheDir = path.join(ROOT_DIR, 'node_modules/.cache/sidedesk-test-db');
  const file = path.join(cacheDir, `pglite-${migrationsHash()}.tar`);
  if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
  const pglite = await PGlite.create();
  const database = await openDatabase({ pglite });
  await database.migrate();
  const blob = (await pglite.dumpDataDir('none')) as Blob;
  await database.close();
  fs.mkdirSync(cacheDir, { recursive: true });
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
  fs.renameSync(partial, file);
  return blob;
}

/**
 * A fresh, migrated database of the kind this run tests (PostgreSQL when DATABASE_URL is set).
 * `pgliteExtensions`: contrib modules PGlite should be able to load (PostgreSQL has them all).
 */
export async function freshTestDatabase(pgliteExtensions: Extensions = {}): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    dump ??= migratedDump();
    const pglite = await PGlite.create({ loadDataDir: await dump, extensions: pgliteExtensions });
    return { kind: 'pglite', pglite, drop: async () => {} };
  }
  const template = await ensureTemplate(url);
  const name = `sidedesk_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(url, (c) => retry(() => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)));
  return {
    kind: 'postgres',
    url: dbUrl(url, name),
    drop: () => withAdmin(url, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * A data directory (for createApp with DATA_DIR, the CLI, the server process) that already holds
 * the migrated database: skips PGlite's slow first initialisation.
 */
export async function seededDataDir(dataDir: string): Promise<string> {
  dump ??= migratedDump();
  const pglite = await PGlite.create(path.join(dataDir, 'pgdata'), { loadDataDir: await dump });
  await pglite.close();
  return dataDir;
}

let templateName: Promise<string> | undefined;

/** The migrated template for the current migration files, created once (across workers, under an advisory lock). */
function ensureTemplate(url: string): Promise<string> {
  return (templateName ??= (async () => {
    const name = `sidedesk_tpl_${migrationsHash()}`;
    await withAdmin(url, async (c) => {
      await c.query('SELECT pg_advisory_lock(82711)');
      try {
        const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (rowCount) return;
        // Build under a temporary name and rename when complete, so a crash never leaves a half-migrated template.
        const building = `${name}_building`;
        await c.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
        await c.query(`CREATE DATABASE "${building}"`);
        const database = await openDatabase({ url: dbUrl(url, building) });
        try {
          await database.migrate();
        } finally {
          await database.close();
        }
        await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      } finally {
        await c.query('SELECT pg_advisory_unlock(82711)');
      }
    });
    return name;
  })());
}

function dbUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// Two workers copying the template at the same instant can be told it is "being accessed".
async function retry<T>(fn: () => Promise<T>, attempts = 10): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !/being accessed by other users/.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 50 * i));
    }
  }
}
