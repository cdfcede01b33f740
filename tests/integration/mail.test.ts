/**
 * Mail (#5, server/src/features/mail/): every mail goes through the durable `mail.send` job, to a
 * real SMTP server on loopback (smtp-server, parsed with mailparser) or, with no SMTP_URL, into
 * the account's outbox, which only its admins read.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { App } from '../../server/src/app';
import { queryRows } from '../../server/src/db/raw';
import { sendMail } from '../../server/src/mail/send';
import { link, mailBody } from '../../server/src/mail/template';
import { findJob } from '../../server/src/jobs/repo';
import type { OutboxPage, TestMailQueued } from '../../shared/schemas/mail';
import { until } from '../support/cluster';
import { freshTestDatabase } from '../support/db';
import { freePort } from '../support/process';
import { api, Harness, type ErrorBody } from '../support/server';
import { startSmtp, type TestSmtp } from '../support/smtp';

const h = new Harness();
// The file's first database makes the migrated dump (slow on a busy machine): before the tests' clocks start.
beforeAll(() => freshTestDatabase().then((d) => (d.kind === 'pglite' ? d.pglite.close() : d.drop())));
const smtps: TestSmtp[] = [];
afterEach(async () => {
  await h.closeAll();
  for (const s of smtps.splice(0)) await s.stop();
});

async function smtp(port?: number): Promise<TestSmtp> {
  const s = await startSmtp(port);
  smtps.push(s);
  return s;
}

const XSS = '<img src=x onerror=alert(1)>';

async function jobState(app: App, id: string) {
  return (await findJob(app.ctx.db, id))!;
}

async function waitForJob(app: App, id: string, check: (row: Awaited<ReturnType<typeof jobState>>) => boolean, what: string) {
  let row = await jobState(app, id);
  await until(
    async () => check((row = await jobState(app, id))),
    15_000,
    () => `${what} (job: ${JSON.stringify(row)})`,
  );
  return row;
}

/**
 * The retry is due in 30 s or more (mail.send's first step, half of it at least): the test moves
 * the clock on rather than waiting, and wakes the runner.
 */
async function retryNow(app: App, id: string) {
  const row = await jobState(app, id);
  expect(row.status).toBe('pending');
  expect(row.runAt.getTime() - Date.now()).toBeGreaterThan(10_000);
  await app.ctx.db.execute(sql`UPDATE jobs SET run_at = now() WHERE id = ${id} AND status = 'pending'`);
  app.ctx.jobs.wake();
}

describe('mail through SMTP (#5)', () => {
  it('delivers text and HTML parts with every value escaped in the HTML, from MAIL_FROM, with a UTF-8 subject', async () => {
    const relay = await smtp();
    const server = await h.server({ mail: { smtpUrl: relay.url, from: 'Acme Support <support@acme.test>' } });
    const { app } = server;
    const { account } = await h.account(server);
    const body = mailBody`Hello ${`Eve ${XSS}`},

${link('https://desk.example/chat?id=1&x=2', 'Open the chat')}`;
    const { id } = await sendMail(app.ctx, { accountId: account.id, to: ['eve@example.com', 'bob@example.com'], subject: 'Grüße ✓ — 你好 👋', ...body });

    await until(() => relay.received.length === 1, 10_000, 'the mail');
    const { parsed, recipients } = relay.received[0]!;
    expect(recipients).toEqual(['eve@example.com', 'bob@example.com']);
    expect(parsed.subject).toBe('Grüße ✓ — 你好 👋');
    expect(parsed.from?.value).toEqual([{ address: 'support@acme.test', name: 'Acme Support' }]);
    expect(parsed.text?.trim()).toBe(`Hello Eve ${XSS},\n\nOpen the chat: https://desk.example/chat?id=1&x=2`);
    const html = String(parsed.html);
    expect(html).toContain('Hello Eve &lt;img src=x onerror=alert(1)&gt;,');
    expect(html).toContain('<a href="https://desk.example/chat?id=1&amp;x=2">Open the chat</a>');
    expect(html).not.toContain('<img');
    expect(await waitForJob(app, id, (j) => j.status === 'done', 'the job to be done')).toMatchObject({ attempts: 1, lastError: null });
    // Sent, so not in the outbox.
    const [kept] = await queryRows<{ n: number }>(app.ctx.db, sql`SELECT count(*)::int AS n FROM mail_outbox`);
    expect(kept!.n).toBe(0);
  });

  it('retries while the SMTP server is down or refuses, records the last error, and delivers when it is back', async () => {
    const port = await freePort();
    const server = await h.server({ mail: { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Sidedesk <no-reply@localhost>' } });
    const { app } = server;
    const { account } = await h.account(server);
    const { id } = await sendMail(app.ctx, { accountId: account.id, to: 'eve@example.com', subject: 'Hi', text: 'Hello' });

    // Down: nothing listens on the port.
    let row = await waitForJob(app, id, (j) => j.attempts === 1 && j.status === 'pending', 'the first attempt to fail');
    expect(row.lastError).toMatch(/^attempt 1: .*ECONNREFUSED/);

    // Up, but refusing for now (451: try again later).
    const relay = await smtp(port);
    relay.refuse = { code: 451, message: 'Greylisted, try again later' };
    await retryNow(app, id);
    row = await waitForJob(app, id, (j) => j.attempts === 2 && j.status === 'pending', 'the second attempt to fail');
    expect(row.lastError).toMatch(/^attempt 2: .*451.*Greylisted/);
    expect(relay.received).toHaveLength(0);

    relay.refuse = null;
    await retryNow(app, id);
    row = await waitForJob(app, id, (j) => j.status === 'done', 'the mail to go out');
    expect(row).toMatchObject({ attempts: 3, lastError: expect.stringMatching(/^attempt 2: .*451/) });
    expect(relay.received.map((m) => m.parsed.text?.trim())).toEqual(['Hello']);
  });

  it('fails the job at once when the server refuses the recipient for good (5xx)', async () => {
    const relay = await smtp();
    relay.refuse = { code: 550, message: 'No such user here' };
    const server = await h.server({ mail: { smtpUrl: relay.url, from: 'Sidedesk <no-reply@localhost>' } });
    const { app } = server;
    const { account } = await h.account(server);
    const { id } = await sendMail(app.ctx, { accountId: account.id, to: 'nobody@example.com', subject: 'Hi', text: 'Hello' });
    const row = await waitForJob(app, id, (j) => j.status === 'failed', 'the job to fail');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/^attempt 1: refused by the SMTP server: .*550.*No such user here/);
  });

  it('refuses a bad address or a subject with a line break, queueing nothing', async () => {
    const server = await h.server();
    const { app } = server;
    const { account } = await h.account(server);
    await expect(sendMail(app.ctx, { accountId: account.id, to: 'not-an-address', subject: 'Hi', text: 'x' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(sendMail(app.ctx, { accountId: account.id, to: 'a@example.com', subject: 'Hi\r\nBcc: x@example.com', text: 'x' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    const [n] = await queryRows<{ n: number }>(app.ctx.db, sql`SELECT count(*)::int AS n FROM jobs`);
    expect(n!.n).toBe(0);
  });
});

describe('the mail outbox, with no SMTP server configured (#5)', () => {
  it('keeps every mail for the account’s admins, newest first, page by page; operators are refused, other accounts see none', async () => {
    const server = await h.server({ jobs: { concurrency: 1 } }); // kept in the order they were sent
    const { app } = server;
    const admin = await h.operator(server);
    const colleague = await h.colleague(server, admin.account.id);
    const other = await h.operator(server, { account: 'Other Co' });

    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const body = mailBody`Mail ${i} for ${XSS}`;
      ids.push((await sendMail(app.ctx, { accountId: admin.account.id, to: `v${i}@example.com`, subject: `Mail ${i} ✓`, ...body })).id);
    }
    for (const id of ids) await waitForJob(app, id, (j) => j.status === 'done', 'the mail to be kept');

    const first = await api<OutboxPage>(server.url, 'GET', '/api/mail/outbox?limit=2', undefined, admin.token);
    expect(first.status).toBe(200);
    expect(first.body.items.map((m) => m.subject)).toEqual(['Mail 5 ✓', 'Mail 4 ✓']);
    expect(first.body.items[0]).toMatchObject({ from: 'Sidedesk <no-reply@localhost>', to: ['v5@example.com'], text: `Mail 5 for ${XSS}` });
    expect(first.body.items[0]!.html).toContain('Mail 5 for &lt;img src=x onerror=alert(1)&gt;');
    const second = await api<OutboxPage>(server.url, 'GET', `/api/mail/outbox?limit=2&before=${first.body.nextCursor}`, undefined, admin.token);
    expect(second.body.items.map((m) => m.subject)).toEqual(['Mail 3 ✓', 'Mail 2 ✓']);
    const last = await api<OutboxPage>(server.url, 'GET', `/api/mail/outbox?limit=2&before=${second.body.nextCursor}`, undefined, admin.token);
    expect(last.body).toMatchObject({ items: [{ subject: 'Mail 1 ✓' }], nextCursor: null });

    const refused = await api<ErrorBody>(server.url, 'GET', '/api/mail/outbox', undefined, colleague.token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect((await api(server.url, 'GET', '/api/mail/outbox')).status).toBe(401);

    const theirs = await api<OutboxPage>(server.url, 'GET', '/api/mail/outbox', undefined, other.token);
    expect(theirs.body).toEqual({ items: [], nextCursor: null });
    // Another account's cursor reveals nothing either.
    const probing = await api<OutboxPage>(server.url, 'GET', `/api/mail/outbox?before=${first.body.nextCursor}`, undefined, other.token);
    expect(probing.body.items).toEqual([]);

    const bad = await api<ErrorBody>(server.url, 'GET', '/api/mail/outbox?limit=1000&before=nope', undefined, admin.token);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('stores a mail once even when its job runs twice (its node died after storing it)', async () => {
    const server = await h.server();
    const { app } = server;
    const { account } = await h.account(server);
    const { id } = await sendMail(app.ctx, { accountId: account.id, to: 'a@example.com', subject: 'Once', text: 'x' });
    await waitForJob(app, id, (j) => j.status === 'done', 'the mail to be kept');
    // As if the node had died before marking it done: the lease passes and the job runs again.
    await app.ctx.db.execute(sql`UPDATE jobs SET status = 'running', locked_by = 'dead:1:x', run_at = now() WHERE id = ${id}`);
    app.ctx.jobs.wake();
    await waitForJob(app, id, (j) => j.status === 'done' && j.attempts === 2, 'the second run');
    const rows = await queryRows<{ subject: string }>(app.ctx.db, sql`SELECT subject FROM mail_outbox`);
    expect(rows).toEqual([{ subject: 'Once' }]);
  });

  it('queues nothing when the transaction the mail was sent in rolls back', async () => {
    const server = await h.server();
    const { app } = server;
    const { account } = await h.account(server);
    await expect(
      app.ctx.db.transaction(async (tx) => {
        await sendMail(app.ctx, { accountId: account.id, to: 'a@example.com', subject: 'Rolled back', text: 'x' }, { tx });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const { id } = await app.ctx.db.transaction((tx) =>
      sendMail(app.ctx, { accountId: account.id, to: 'a@example.com', subject: 'Committed', text: 'x' }, { tx }),
    );
    await waitForJob(app, id, (j) => j.status === 'done', 'the committed mail');
    const rows = await queryRows<{ subject: string }>(app.ctx.db, sql`SELECT subject FROM mail_outbox`);
    expect(rows).toEqual([{ subject: 'Committed' }]);
    const [jobs] = await queryRows<{ n: number }>(app.ctx.db, sql`SELECT count(*)::int AS n FROM jobs`);
    expect(jobs!.n).toBe(1);
  });

  it('lets an admin send a test mail to themselves; operators are refused', async () => {
    const server = await h.server();
    const admin = await h.operator(server, { name: 'Ada <b>Admin</b>' });
    const colleague = await h.colleague(server, admin.account.id);
    const queued = await api<TestMailQueued>(server.url, 'POST', '/api/mail/test', undefined, admin.token);
    expect(queued.status).toBe(202);
    expect(queued.body.to).toBe(admin.email);
    await waitForJob(server.app, queued.body.jobId, (j) => j.status === 'done', 'the test mail');
    const page = await api<OutboxPage>(server.url, 'GET', '/api/mail/outbox', undefined, admin.token);
    expect(page.body.items).toEqual([expect.objectContaining({ to: [admin.email], subject: 'Sidedesk test email ✓' })]);
    expect(page.body.items[0]!.html).toContain('Hello Ada &lt;b&gt;Admin&lt;/b&gt;,');
    const refused = await api<ErrorBody>(server.url, 'POST', '/api/mail/test', undefined, colleague.token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
  });
});
