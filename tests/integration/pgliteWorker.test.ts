import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PGliteWorkerClient } from '../../server/src/db/pgliteWorker';
import { seededDataDir } from '../support/db';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function open(): Promise<PGliteWorkerClient> {
  // Already initialised (and migrated): PGlite's first start in an empty directory takes ~8 s.
  const dir = await seededDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'sidedesk-worker-')));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const client = await PGliteWorkerClient.open(path.join(dir, 'pgdata'));
  cleanups.push(() => client.close());
  await client.exec('CREATE TABLE t (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), doc json)');
  return client;
}

// The embedded database on its own thread (#3): what Drizzle and the message writer rely on.
// Each test opens a fresh copy of the migrated data directory on the worker's thread.
// PGlite only: the PostgreSQL pass (DATABASE_URL) has nothing of it to test.
describe.skipIf(process.env.DATABASE_URL)('PGlite on a worker thread', { timeout: 60_000 }, () => {
  it('answers queries with rows as PGlite would, leaving the types Drizzle parses itself as text', async () => {
    const db = await open();
    await db.query('INSERT INTO t (id, doc) VALUES ($1, $2)', [1, JSON.stringify({ a: 1 })]);
    const parsed = await db.query<{ id: number; at: Date; doc: { a: number } }>('SELECT * FROM t');
    expect(parsed.rows[0]).toMatchObject({ id: 1, doc: { a: 1 } });
    expect(parsed.rows[0]!.at).toBeInstanceOf(Date);
    // Drizzle's timestamp parser is the identity: the worker keeps that type as text.
    const raw = await db.query<unknown[]>('SELECT id, at FROM t', [], { rowMode: 'array', parsers: { 1184: (v: string) => v } });
    expect(raw.rows[0]).toEqual([1, expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d/)]);
  });

  it('commits a transaction that resolves, rolls back one that throws, and holds other queries meanwhile', async () => {
    const db = await open();
    let outsideSaw: number | null = null;
    let outside!: Promise<unknown>;
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id) VALUES (1)');
      // A query from outside waits for the transaction: it can't see (or interleave with) its rows.
      outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM t').then((r) => (outsideSaw = r.rows[0]!.n));
      await new Promise((r) => setTimeout(r, 50));
      expect(outsideSaw).toBeNull();
    });
    await outside;
    expect(outsideSaw).toBe(1);
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES (2)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await db.query<{ id: number }>('SELECT id FROM t ORDER BY id')).rows).toEqual([{ id: 1 }]);
  });

  it('passes PostgreSQL errors across with their SQLSTATE, and keeps serving', async () => {
    const db = await open();
    await db.query('INSERT INTO t (id) VALUES (1)');
    await expect(db.query('INSERT INTO t (id) VALUES (1)')).rejects.toMatchObject({ code: '23505', message: expect.stringContaining('duplicate key') });
    await expect(db.transaction((tx) => tx.query('SELECT 1/0'))).rejects.toMatchObject({ code: '22012' });
    expect((await db.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });

  it('runs the JSON call in autocommit, and refuses work once closed', async () => {
    const db = await open();
    await db.exec(`CREATE FUNCTION echo(items jsonb) RETURNS TABLE (v text) LANGUAGE sql AS $$ SELECT x->>'v' FROM jsonb_array_elements(items) x $$`);
    // A dollar-quote tag inside the JSON can't end the literal.
    expect(await db.callJson('echo', JSON.stringify([{ v: "it's $j$ fine" }]))).toEqual([{ v: "it's $j$ fine" }]);
    await db.close();
    await expect(db.query('SELECT 1')).rejects.toThrow('closed');
  });

  it('reports the thread dying while open (and fails queries), but not an orderly close', async () => {
    const crashed = await open();
    // A crash inside PGlite ends the thread; terminating it from outside is the same event here.
    await (crashed as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    expect((await crashed.lost).message).toMatch(/database thread exited/);
    await expect(crashed.query('SELECT 1')).rejects.toThrow();

    const closed = await open();
    await closed.close();
    const settled = await Promise.race([closed.lost.then(() => 'lost'), new Promise((r) => setTimeout(() => r('not lost'), 200))]);
    expect(settled).toBe('not lost');
  });
});
