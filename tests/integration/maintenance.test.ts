/**
 * The embedded database's autovacuum (db/maintenance.ts): PGlite has none of its own, so the
 * server vacuums and analyses every table on a schedule. PostgreSQL servers run autovacuum.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app';
import { vacuumAnalyze } from '../../server/src/db/maintenance';
import { queryRows } from '../../server/src/db/raw';
import { setupFirstAccount } from '../../server/src/features/accounts/service';
import { seededDataDir } from '../support/db';
import { Harness, testConfig } from '../support/server';

describe.skipIf(process.env.DATABASE_URL)('embedded database maintenance', () => {
  const h = new Harness();
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
    await h.closeAll();
  });

  it('vacuums and analyses on its schedule, giving the planner statistics', async () => {
    // A data directory, as the server runs: PGlite on its own thread.
    const dataDir = await seededDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'sidedesk-maintenance-')));
    const app = await createApp(testConfig({ dataDir }), { maintenance: { firstAfterMs: 1_500, everyMs: 60_000 } });
    cleanups.push(async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    const { db } = app.ctx;
    const { account } = await setupFirstAccount(db, { account: 'Acme', email: 'ada@example.com', password: 'correct horse battery' });
    await db.execute(sql`INSERT INTO visitors (id, account_id) SELECT gen_random_uuid(), ${account.id} FROM generate_series(1, 2000)`);
    // What VACUUM and ANALYZE write into the catalogue itself (PGlite's activity statistics,
    // pg_stat_user_tables, are only flushed when its backend goes idle: not something to wait on).
    const plannerRows = async () => Number((await queryRows<{ n: number }>(db, sql`SELECT reltuples AS n FROM pg_class WHERE relname = 'visitors'`))[0]!.n);
    const columnStats = async () => Number((await queryRows<{ n: number }>(db, sql`SELECT count(*) AS n FROM pg_stats WHERE tablename = 'visitors'`))[0]!.n);
    // Nothing has counted the new rows yet: the planner plans for an empty table, with no column statistics.
    expect(await plannerRows()).not.toBe(2000);
    expect(await columnStats()).toBe(0);

    for (let i = 0; i < 100 && (await columnStats()) === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await columnStats()).toBeGreaterThan(0);
    expect(await plannerRows()).toBe(2000);
  });

  it('reclaims the dead rows that updates leave behind', async () => {
    const server = await h.server();
    const { db, log } = server.app.ctx;
    const { account } = await h.account(server);
    await db.execute(sql`INSERT INTO visitors (id, account_id) SELECT gen_random_uuid(), ${account.id} FROM generate_series(1, 2000)`);
    await vacuumAnalyze(db, log);
    const pages = async () => Number((await queryRows<{ n: number }>(db, sql`SELECT pg_relation_size('visitors') / 8192 AS n`))[0]!.n);
    const before = await pages();
    // Each round of updates leaves a dead copy of every row; vacuumed, the space is used again.
    for (let round = 0; round < 5; round++) {
      await db.execute(sql`UPDATE visitors SET last_seen_at = now()`);
      await vacuumAnalyze(db, log);
    }
    expect(await pages()).toBeLessThanOrEqual(before * 2 + 1);
  });
});
