import { sql } from 'drizzle-orm';
import type { Logger } from '../log';
import type { Db } from './client';
import { queryRows } from './raw';

/**
 * What autovacuum does for a PostgreSQL server, done by the process for the embedded database.
 * PGlite runs PostgreSQL in single-user mode: no autovacuum worker ever runs, so without this
 *  - the planner has no statistics (a common-word archive search took ~150 ms instead of ~10),
 *  - rows updated or deleted (visitors, chats, jobs) leave dead tuples that are never reclaimed,
 *  - transaction ids are never frozen: after ~2 billion transactions PostgreSQL stops accepting
 *    writes to protect the data (at 100 a second that is months away, not years).
 * `VACUUM (ANALYZE)` one table per call, so chat queries queue behind one table's work at a time
 * (measured on 1,000,000 messages: 120–320 ms), never behind the whole database's.
 */
export async function vacuumAnalyze(db: Db, log: Logger): Promise<{ tables: number; ms: number }> {
  const started = performance.now();
  const rows = await queryRows<{ name: string }>(db, sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  for (const { name } of rows) {
    const t = performance.now();
    // A table name from the catalogue, quoted as an identifier: VACUUM takes no parameters.
    await db.execute(sql.raw(`VACUUM (ANALYZE) "${name.replaceAll('"', '""')}"`));
    const ms = performance.now() - t;
    if (ms > 1_000) log.warn(`Database maintenance: VACUUM (ANALYZE) of ${name} took ${Math.round(ms)} ms`);
  }
  return { tables: rows.length, ms: Math.round(performance.now() - started) };
}

export interface MaintenanceSchedule {
  /** First run this long after start: not during the reconnect storm of a restart (#4). */
  firstAfterMs: number;
  everyMs: number;
}

export const EMBEDDED_MAINTENANCE: MaintenanceSchedule = { firstAfterMs: 5 * 60_000, everyMs: 60 * 60_000 };

/** Runs {@link vacuumAnalyze} on a schedule until `stop()`, which waits for a run in progress. */
export function scheduleMaintenance(db: Db, log: Logger, schedule: MaintenanceSchedule = EMBEDDED_MAINTENANCE): { stop: () => Promise<void> } {
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const run = () => {
    running = vacuumAnalyze(db, log)
      .then(({ tables, ms }) => log.debug(`Database maintenance: VACUUM (ANALYZE) of ${tables} tables in ${ms} ms`))
      .catch((err: unknown) => log.error('Database maintenance failed (tried again next time)', err))
      .finally(() => {
        running = null;
        if (timer) timer = setTimeout(run, schedule.everyMs).unref();
      });
  };
  timer = setTimeout(run, schedule.firstAfterMs).unref();
  return {
    stop: async () => {
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
