/**
 * Durable jobs (#5, server/src/jobs/): run once, retried with backoff, given up after the kind's
 * attempts, enqueued inside transactions, deduplicated by key, taken over when their node dies.
 * Crashes of a real server process are in jobsCrash.test.ts; two nodes on one PostgreSQL below.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { createApp, type App } from '../../server/src/app';
import { queryRows } from '../../server/src/db/raw';
import { defineJob, PermanentJobError, retryDelay, type JobInfo } from '../../server/src/jobs/define';
import { claimJobs, claimStatement, finishJob, findJob, pruneDoneJobs } from '../../server/src/jobs/repo';
import { until } from '../support/cluster';
import { freshTestDatabase } from '../support/db';
import { Harness, testConfig, type TestServer } from '../support/server';

const h = new Harness();
// The file's first database makes the migrated dump (slow on a busy machine): before the tests' clocks start.
beforeAll(() => freshTestDatabase().then((d) => (d.kind === 'pglite' ? d.pglite.close() : d.drop())));
afterEach(() => h.closeAll());

/** What the test kinds' handlers saw: which node ran which job, when, with what. */
interface Run {
  node: string;
  id: string;
  attempt: number;
  payload: unknown;
  at: number;
}
let runs: Run[] = [];
afterEach(() => {
  runs = [];
});
const record = (job: JobInfo, payload: unknown, node = 'a') => runs.push({ node, id: job.id, attempt: job.attempt, payload, at: Date.now() });

const echoJob = defineJob({
  kind: 'test.echo',
  payload: z.object({ n: z.number().int() }),
  handler: async (_ctx, payload, job) => void record(job, payload),
});

/** Fails `failTimes` times (`boom <attempt>`), then succeeds; steps of 200 ms doubling to 400 ms. */
const flakyJob = defineJob({
  kind: 'test.flaky',
  payload: z.object({ failTimes: z.number().int() }),
  maxAttempts: 3,
  backoff: { baseMs: 200, maxMs: 400 },
  handler: async (_ctx, payload, job) => {
    record(job, payload);
    if (job.attempt <= payload.failTimes) throw new Error(`boom ${job.attempt}`);
  },
});

const refusedJob = defineJob({
  kind: 'test.refused',
  payload: z.object({}),
  handler: async (_ctx, payload, job) => {
    record(job, payload);
    throw new PermanentJobError('no such recipient');
  },
});

const slowJob = defineJob({
  kind: 'test.slow',
  payload: z.object({ ms: z.number() }),
  timeoutMs: 300,
  maxAttempts: 2,
  backoff: { baseMs: 60_000, maxMs: 60_000 },
  handler: async (_ctx, payload, job) => {
    record(job, payload);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, payload.ms);
      job.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(job.signal.reason as Error);
      });
    });
  },
});

async function server(): Promise<TestServer> {
  const s = await h.server();
  s.app.ctx.jobs.register(echoJob, flakyJob, refusedJob, slowJob);
  return s;
}

const job = (app: App, id: string) => findJob(app.ctx.db, id);
async function settled(app: App, id: string, timeoutMs = 5_000) {
  let status = '';
  await until(
    async () => ['done', 'failed'].includes((status = (await job(app, id))?.status ?? '')),
    timeoutMs,
    () => `job ${id} to finish (${status})`,
  );
  return (await job(app, id))!;
}

describe('durable jobs (#5)', () => {
  it('runs an enqueued job once, at once, with its payload, and marks it done', async () => {
    const { app } = await server();
    const started = Date.now();
    const { id, created } = await app.ctx.jobs.enqueue(echoJob, { n: 7 });
    expect(created).toBe(true);
    const row = await settled(app, id);
    expect(row).toMatchObject({ status: 'done', attempts: 1, lastError: null, lockedBy: null });
    expect(runs).toEqual([expect.objectContaining({ id, attempt: 1, payload: { n: 7 } })]);
    // Woken by the enqueue, not by the next poll.
    expect(runs[0]!.at - started).toBeLessThan(500);
  });

  it('refuses a payload its kind does not accept, storing nothing', async () => {
    const { app } = await server();
    await expect(app.ctx.jobs.enqueue(echoJob, { n: 'seven' } as never)).rejects.toMatchObject({ code: 'validation_failed' });
    const [count] = await queryRows<{ n: number }>(app.ctx.db, sql`SELECT count(*)::int AS n FROM jobs`);
    expect(count!.n).toBe(0);
  });

  it('retries with exponential backoff, recording attempts and the last error, then succeeds', async () => {
    const { app } = await server();
    const { id } = await app.ctx.jobs.enqueue(flakyJob, { failTimes: 2 });
    const row = await settled(app, id);
    expect(row).toMatchObject({ status: 'done', attempts: 3, lastError: 'attempt 2: boom 2' });
    const at = runs.map((r) => r.at);
    // Half of each step at least: 200 ms, then 400 ms (equal jitter).
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(100 - 5);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(200 - 5);
  });

  it('gives up after the kind’s max attempts and keeps the failed job with its last error', async () => {
    const { app } = await server();
    const { id } = await app.ctx.jobs.enqueue(flakyJob, { failTimes: 99 });
    const row = await settled(app, id);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, lastError: 'attempt 3: boom 3' });
    expect(row.finishedAt).toBeInstanceOf(Date);
    expect(runs.map((r) => r.attempt)).toEqual([1, 2, 3]);
    // Failed jobs are never pruned (done ones are, after a week).
    expect(await pruneDoneJobs(app.ctx.db, 0, 100)).toBe(0);
    expect(await job(app, id)).toMatchObject({ status: 'failed' });
  });

  it('fails at once, without retrying, when the handler says trying again cannot help', async () => {
    const { app } = await server();
    const { id } = await app.ctx.jobs.enqueue(refusedJob, {});
    expect(await settled(app, id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'attempt 1: no such recipient' });
  });

  it('aborts an attempt that outlives its timeout and schedules a retry', async () => {
    const { app } = await server();
    const { id } = await app.ctx.jobs.enqueue(slowJob, { ms: 10_000 });
    await until(async () => (await job(app, id))?.lastError != null, 3_000, 'the timed-out attempt to be recorded');
    const row = (await job(app, id))!;
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'attempt 1: timed out after 300 ms' });
    // Backed off by at least half of the 60 s step.
    expect(row.runAt.getTime() - Date.now()).toBeGreaterThan(25_000);
  });

  it('creates no job when the transaction it was enqueued in rolls back, and one when it commits', async () => {
    const { app } = await server();
    const { db } = app.ctx;
    await expect(
      db.transaction(async (tx) => {
        await app.ctx.jobs.enqueue(echoJob, { n: 1 }, { tx });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const committed = await db.transaction((tx) => app.ctx.jobs.enqueue(echoJob, { n: 2 }, { tx }));
    // Found by the runner's poll after the commit.
    await settled(app, committed.id, 3_000);
    const rows = await queryRows<{ payload: unknown }>(db, sql`SELECT payload FROM jobs WHERE kind = 'test.echo'`);
    expect(rows.map((r) => r.payload)).toEqual([{ n: 2 }]);
    expect(runs.map((r) => r.payload)).toEqual([{ n: 2 }]);
  });

  it('keeps one job per idempotency key', async () => {
    const { app } = await server();
    const first = await app.ctx.jobs.enqueue(echoJob, { n: 1 }, { key: 'welcome:42' });
    const again = await app.ctx.jobs.enqueue(echoJob, { n: 2 }, { key: 'welcome:42' });
    expect(again).toEqual({ id: first.id, created: false });
    await settled(app, first.id);
    // Still one after it ran (until done jobs are pruned).
    expect(await app.ctx.jobs.enqueue(echoJob, { n: 3 }, { key: 'welcome:42' })).toEqual({ id: first.id, created: false });
    const other = await app.ctx.jobs.enqueue(echoJob, { n: 4 }, { key: 'welcome:43' });
    await settled(app, other.id);
    expect(runs.map((r) => r.payload)).toEqual([{ n: 1 }, { n: 4 }]);
  });

  it('waits for runAt', async () => {
    const { app } = await server();
    const runAt = new Date(Date.now() + 1_500);
    const { id } = await app.ctx.jobs.enqueue(echoJob, { n: 1 }, { runAt });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(runs).toEqual([]);
    await settled(app, id, 3_000);
    expect(runs[0]!.at).toBeGreaterThanOrEqual(runAt.getTime() - 50);
  });

  it('takes over a job whose node died holding it, and the dead claim can no longer record an outcome', async () => {
    const { app } = await server();
    // Left as a claim by a node that died leaves it: running, attempt 1, its lease passed.
    const stopped = createdJob(await app.ctx.jobs.enqueue(echoJob, { n: 1 }, { runAt: new Date(Date.now() + 60_000) }));
    await app.ctx.db.execute(sql`UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'dead-node:1:x', run_at = now() WHERE id = ${stopped}`);
    app.ctx.jobs.wake();
    const row = await settled(app, stopped);
    expect(row).toMatchObject({ status: 'done', attempts: 2 });
    expect(row.lastError).toMatch(/^attempt 1: the node running it stopped before it finished \(dead-node:1:x\)$/);
    expect(runs).toHaveLength(1);
    expect(await finishJob(app.ctx.db, { id: stopped, attempt: 1, node: 'dead-node:1:x' }, { status: 'failed', error: 'late' })).toBe(false);
    expect(await job(app, stopped)).toMatchObject({ status: 'done' });
  });

  it('runs at most JOB_CONCURRENCY jobs at once, and none with 0', async () => {
    const s = await h.server({ jobs: { concurrency: 2 } });
    let now = 0;
    let most = 0;
    const gauge = defineJob({
      kind: 'test.gauge',
      payload: z.object({}),
      handler: async () => {
        most = Math.max(most, ++now);
        await new Promise((r) => setTimeout(r, 30));
        now--;
      },
    });
    s.app.ctx.jobs.register(gauge);
    const ids = await Promise.all(Array.from({ length: 10 }, () => s.app.ctx.jobs.enqueue(gauge, {})));
    for (const { id } of ids) await settled(s.app, id);
    expect(most).toBe(2);

    const idle = await h.server({ jobs: { concurrency: 0 } });
    idle.app.ctx.jobs.register(echoJob);
    const { id } = await idle.app.ctx.jobs.enqueue(echoJob, { n: 1 });
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await job(idle.app, id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('lets running jobs finish on close', async () => {
    const { app, close } = await server();
    const { id } = await app.ctx.jobs.enqueue(slowJob, { ms: 200 });
    await until(() => runs.length === 1, 2_000, 'the job to start');
    await close();
    // The outcome was recorded before the database closed: the handler ran to its end once.
    expect(app.ctx.jobs.active).toBe(0);
    expect(runs.map((r) => r.id)).toEqual([id]);
  });

  it('polls with one statement that reads only live jobs, however many done ones are kept', async () => {
    const { app } = await server();
    const { db } = app.ctx;
    await db.execute(sql`INSERT INTO jobs (kind, payload, status, finished_at) SELECT 'test.echo', '{}', 'done', now() FROM generate_series(1, 20000)`);
    await db.execute(sql`INSERT INTO jobs (kind, payload, run_at) SELECT 'test.echo', '{}', now() + interval '1 day' FROM generate_series(1, 200)`);
    await db.execute(sql`ANALYZE jobs`);
    const claim = { kinds: ['test.echo', 'mail.send'], limit: 4, node: 'probe', leaseMs: 30_000 };
    const plan = (await queryRows<{ 'QUERY PLAN': string }>(db, sql`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${claimStatement(claim)}`))
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toMatch(/Index Scan using jobs_due_idx on jobs/);
    expect(plan).not.toMatch(/Seq Scan/);
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      expect(await claimJobs(db, claim)).toEqual([]);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`idle poll (20,000 done + 200 future jobs) median ${times[25]!.toFixed(2)} ms, p90 ${times[45]!.toFixed(2)} ms\n${plan}`);
  });
});

describe('retryDelay', () => {
  it('doubles from the base up to the cap, keeping a random half of each step', () => {
    const backoff = { baseMs: 1_000, maxMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelay(backoff, a, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    expect([1, 2, 3, 4, 5].map((a) => retryDelay(backoff, a, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 5_000]);
  });
});

function createdJob(r: { id: string; created: boolean }): string {
  expect(r.created).toBe(true);
  return r.id;
}

// Two nodes on one PostgreSQL: SKIP LOCKED must hand each job to exactly one of them.
describe.runIf(process.env.DATABASE_URL)('jobs on two nodes sharing one PostgreSQL (#5)', () => {
  it('runs each of 50 jobs exactly once across both nodes', async () => {
    const a = await h.server();
    if (a.database.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const appB = await createApp(testConfig({ databaseUrl: a.database.url }));
    try {
      const shared = defineJob({
        kind: 'test.shared',
        payload: z.object({ n: z.number() }),
        handler: async (ctx, payload, info) => {
          record(info, payload, ctx.jobs === a.app.ctx.jobs ? 'a' : 'b');
          await new Promise((r) => setTimeout(r, 40));
        },
      });
      a.app.ctx.jobs.register(shared);
      appB.ctx.jobs.register(shared);
      // Half enqueued on each node (each wakes its own runner at once; the other finds them by polling).
      const ids = await Promise.all(Array.from({ length: 50 }, (_, n) => (n % 2 ? appB : a.app).ctx.jobs.enqueue(shared, { n })));
      for (const { id } of ids) await settled(a.app, id, 20_000);
      const perJob = new Map<string, number>();
      for (const r of runs) perJob.set(r.id, (perJob.get(r.id) ?? 0) + 1);
      expect(perJob.size).toBe(50);
      expect([...perJob.values()].every((n) => n === 1)).toBe(true);
      const [done] = await queryRows<{ n: number }>(
        a.app.ctx.db,
        sql`SELECT count(*)::int AS n FROM jobs WHERE kind = 'test.shared' AND status = 'done' AND attempts = 1`,
      );
      expect(done!.n).toBe(50);
      expect(runs.some((r) => r.node === 'a') && runs.some((r) => r.node === 'b')).toBe(true);
    } finally {
      await appB.close();
    }
  });
});
