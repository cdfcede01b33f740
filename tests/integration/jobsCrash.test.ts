/**
 * Durable jobs across `kill -9` (#5): the real server as a child process, on a PGlite data dir
 * and, with DATABASE_URL, on PostgreSQL. The job is the mail an admin's "send a test mail" queues
 * (POST /api/mail/test); "ran" means the SMTP server the test runs received it.
 */
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestMailQueued } from '../../shared/schemas/mail';
import { login, passBackend, passLabel, setupAccount, startNode, tempDataDir, until, type Backend, type SidedeskNode } from '../support/cluster';
import { seededDataDir } from '../support/db';
import { api } from '../support/server';
import { startBlackHole, startSmtp, type TestSmtp } from '../support/smtp';

// The migrated dump that seeds each data dir (slow on a busy machine): made before the tests' clocks start.
beforeAll(async () => {
  const tmp = tempDataDir();
  await seededDataDir(tmp.dir);
  tmp.remove();
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

/** Runs `sql` on the backend's database (PGlite: only while no server holds the data dir). */
async function query<R>(backend: Backend, sql: string): Promise<R[]> {
  if (backend.label === 'pglite') {
    const db = await PGlite.create(path.join(backend.env.DATA_DIR!, 'pgdata'));
    try {
      return (await db.query<R>(sql)).rows;
    } finally {
      await db.close();
    }
  }
  const client = new pg.Client({ connectionString: backend.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql)).rows as R[];
  } finally {
    await client.end();
  }
}

interface JobState {
  status: string;
  attempts: number;
  last_error: string | null;
}

async function world(backend: Backend) {
  cleanups.push(() => backend.cleanup());
  const account = await setupAccount(backend.env);
  const smtp = await startSmtp();
  cleanups.push(() => smtp.stop());
  const node = async (env: NodeJS.ProcessEnv): Promise<SidedeskNode> => {
    const n = await startNode(backend, env);
    cleanups.push(() => n.stop());
    return n;
  };
  const sendTestMail = async (n: SidedeskNode) => {
    const token = await login(n.url, account.email, account.password);
    const res = await api<TestMailQueued>(n.url, 'POST', '/api/mail/test', undefined, token);
    expect(res.status).toBe(202);
    return res.body.jobId;
  };
  return { account, smtp, node, sendTestMail };
}

/** Waits for the one mail, then a while longer to see that no second copy follows. */
async function deliveredOnce(smtp: TestSmtp, to: string) {
  await until(() => smtp.received.length > 0, 20_000, 'the mail to reach the SMTP server');
  await new Promise((r) => setTimeout(r, 2_500)); // more than two polls
  expect(smtp.received).toHaveLength(1);
  expect(smtp.received[0]!.recipients).toEqual([to]);
  expect(smtp.received[0]!.parsed.subject).toBe('Sidedesk test email ✓');
}

// On this pass's database (a PGlite data dir, or PostgreSQL with DATABASE_URL: CI runs both passes).
describe(`jobs survive kill -9 on ${passLabel} (#5)`, () => {
  const makeBackend = passBackend;
  it('runs a job queued just before the process was killed exactly once after the restart', { timeout: 150_000 }, async () => {
    const backend = await makeBackend();
    const { account, smtp, node, sendTestMail } = await world(backend);
    // This node queues jobs but runs none (JOB_CONCURRENCY=0), so the job is surely waiting when it dies.
    const first = await node({ SMTP_URL: smtp.url, JOB_CONCURRENCY: '0' });
    const jobId = await sendTestMail(first);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(smtp.received).toHaveLength(0);
    await first.crash();

    const second = await node({ SMTP_URL: smtp.url });
    await deliveredOnce(smtp, account.email);
    await second.stop();
    const [job] = await query<JobState & { id: string }>(backend, `SELECT id, status, attempts, last_error FROM jobs WHERE kind = 'mail.send'`);
    expect(job).toEqual({ id: jobId, status: 'done', attempts: 1, last_error: null });
  });

  it('takes over a job whose process was killed while running it, and runs it once more', { timeout: 150_000 }, async () => {
    const backend = await makeBackend();
    const { account, smtp, node, sendTestMail } = await world(backend);
    // An SMTP server that accepts the connection and never answers: the send hangs, the job stays running.
    const hole = await startBlackHole();
    cleanups.push(() => hole.close());
    const first = await node({ SMTP_URL: hole.url });
    await sendTestMail(first);
    await until(() => hole.connections() > 0, 10_000, 'the job to start sending');
    await first.crash();

    const second = await node({ SMTP_URL: smtp.url });
    if (backend.label === 'postgres') {
      // Another node can't tell a dead holder from a slow one: it waits for the lease (30 s) to
      // pass. The test moves the clock on instead. (On PGlite the data dir is one process's, so
      // the restarted server takes the job at once.)
      expect(await query<JobState>(backend, `SELECT status, attempts FROM jobs`)).toEqual([{ status: 'running', attempts: 1 }]);
      await query(backend, `UPDATE jobs SET run_at = now() WHERE status = 'running'`);
    }
    await deliveredOnce(smtp, account.email);
    await second.stop();
    const [job] = await query<JobState>(backend, `SELECT status, attempts, last_error FROM jobs`);
    expect(job).toMatchObject({ status: 'done', attempts: 2 });
    expect(job!.last_error).toMatch(/^attempt 1: the node running it stopped before it finished/);
  });
});
