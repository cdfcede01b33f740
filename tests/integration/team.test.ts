/**
 * The team (A5, #5, server/src/features/team/): invitations by mail accepted on the server's page,
 * roles with last-admin protection, disabling (sessions revoked, sockets cut at once), password
 * resets by mail (single use, one hour, the same answer for every email), admins only.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../server/src/db/raw';
import type { OutboxPage } from '../../shared/schemas/mail';
import type { InvitationView, TeamMemberView, TeamView } from '../../shared/schemas/team';
import type { LoginResult } from '../../shared/schemas/auth';
import { until } from '../support/cluster';
import { freshTestDatabase } from '../support/db';
import { api, Harness, loginOk, testConfig, type ErrorBody, type TestServer } from '../support/server';

const h = new Harness();
// The file's first database makes the migrated dump (slow on a busy machine): before the tests' clocks start.
beforeAll(() => freshTestDatabase().then((d) => (d.kind === 'pglite' ? d.pglite.close() : d.drop())));
afterEach(() => h.closeAll());

/** Links in mail point at PUBLIC_URL, never at the request's Host; the tests open them on the real server. */
const PUBLIC_URL = 'https://desk.example.test';
const NEW_PASSWORD = 'a brand new passphrase';

async function start() {
  const server = await h.server({ publicUrl: PUBLIC_URL });
  const admin = await h.operator(server, { account: 'Acme', name: 'Ada Admin' });
  return { server, admin };
}

async function outbox(server: TestServer, token: string) {
  const res = await api<OutboxPage>(server.url, 'GET', '/api/mail/outbox', undefined, token);
  expect(res.status).toBe(200);
  return res.body.items;
}

/** The newest mail to `to` once it is in the outbox (the mail job has run), and the path of its link. */
async function mailTo(server: TestServer, adminToken: string, to: string, count = 1) {
  let mails: Awaited<ReturnType<typeof outbox>> = [];
  await until(async () => (mails = (await outbox(server, adminToken)).filter((m) => m.to.includes(to))).length >= count, 10_000, `${count} mail(s) to ${to}`);
  const mail = mails[0]!;
  const match = new RegExp(`${PUBLIC_URL.replace(/\./g, '\\.')}(/(?:invite|reset-password)/[A-Za-z0-9_-]+)`).exec(mail.text);
  expect(match, `a link in: ${mail.text}`).not.toBeNull();
  return { mail, path: match![1]!, count: mails.length };
}

/** Submits a page's form the way a browser does (url-encoded) and returns the HTML answer. */
async function submit(server: TestServer, path: string, fields: Record<string, string>) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

async function getPage(server: TestServer, path: string) {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, html: await res.text(), headers: res.headers };
}

async function team(server: TestServer, token: string): Promise<TeamView> {
  const res = await api<TeamView>(server.url, 'GET', '/api/team', undefined, token);
  expect(res.status).toBe(200);
  return res.body;
}

async function invite(server: TestServer, token: string, body: { email: string; role: string; name?: string }) {
  return api<InvitationView & ErrorBody>(server.url, 'POST', '/api/team/invitations', body, token);
}

const patchMember = (server: TestServer, token: string, operatorId: string, body: object) =>
  api<TeamMemberView & ErrorBody>(server.url, 'PATCH', `/api/team/operators/${operatorId}`, body, token);

const login = (server: TestServer, email: string, password: string) => api<LoginResult & ErrorBody>(server.url, 'POST', '/api/auth/login', { email, password });

/** Resolves when the socket is disconnected by the server (rejects after `ms`). */
function disconnected(socket: { connected: boolean; once(ev: 'disconnect', fn: (reason: string) => void): unknown }, ms = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${ms} ms`)), ms);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

describe('invitations (A5)', () => {
  it('mails an invitation; the page creates the operator, who can then sign in; the link works once', async () => {
    const { server, admin } = await start();
    const created = await invite(server, admin.token, { email: 'Nina@Example.com', role: 'supervisor', name: 'Nina' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'nina@example.com', role: 'supervisor', name: 'Nina', status: 'pending', invitedBy: 'Ada Admin' });
    expect(new Date(created.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(7 * 24 * 3600_000 - 60_000);

    const { mail, path } = await mailTo(server, admin.token, 'nina@example.com');
    expect(mail.subject).toBe('Ada Admin invited you to Acme on Sidedesk');
    expect(mail.text).toContain('as a supervisor');
    expect(path).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
    // Only the token's hash is stored.
    const stored = await queryRows<{ token_hash: string }>(server.app.ctx.db, sql`SELECT token_hash FROM invitations`);
    expect(stored.map((r) => r.token_hash)).not.toContain(path.split('/').pop());

    const page = await getPage(server, path);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.html).toContain('Join Acme on Sidedesk');
    expect(page.html).toContain('nina@example.com');
    expect(page.html).toContain('value="Nina"');

    // Errors are shown beside their fields, and nothing is created.
    const mismatch = await submit(server, path, { name: 'Nina N', password: NEW_PASSWORD, passwordAgain: 'something else' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.html).toContain('id="passwordAgain-error"');
    expect(mismatch.html).toContain('The two passwords are not the same.');
    const short = await submit(server, path, { name: '', password: 'short', passwordAgain: 'short' });
    expect(short.status).toBe(400);
    expect(short.html).toContain('id="name-error"');
    expect(short.html).toContain('id="password-error"');
    expect((await login(server, 'nina@example.com', NEW_PASSWORD)).status).toBe(401);

    const accepted = await submit(server, path, { name: 'Nina Novak', password: NEW_PASSWORD, passwordAgain: NEW_PASSWORD });
    expect(accepted.status).toBe(201);
    expect(accepted.html).toContain('Welcome to Acme');
    expect(accepted.html).toContain(PUBLIC_URL);

    const signedIn = await login(server, 'nina@example.com', NEW_PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.operator).toMatchObject({ name: 'Nina Novak', role: 'supervisor', accountId: admin.account.id });

    const after = await team(server, admin.token);
    expect(after.invitations).toEqual([]);
    expect(after.members.find((m) => m.email === 'nina@example.com')).toMatchObject({ name: 'Nina Novak', role: 'supervisor', status: 'active' });

    // Single use: the link now says so, and a second submit creates nothing.
    const again = await submit(server, path, { name: 'Mallory', password: 'another password', passwordAgain: 'another password' });
    expect(again.status).toBe(410);
    expect(again.html).toContain('This invitation was already accepted');
    expect((await getPage(server, path)).status).toBe(410);
    expect((await login(server, 'nina@example.com', 'another password')).status).toBe(401);
  });

  it('refuses an expired link with a clear page; a resend mails a new link and the old one stops working', async () => {
    const { server, admin } = await start();
    const created = await invite(server, admin.token, { email: 'otto@example.com', role: 'operator' });
    const first = await mailTo(server, admin.token, 'otto@example.com');
    // Time travel: the invitation's 7 days are over.
    await server.app.ctx.db.execute(sql`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = ${created.body.id}`);

    const expired = await getPage(server, first.path);
    expect(expired.status).toBe(410);
    expect(expired.html).toContain('This invitation has expired');
    expect(expired.html).not.toContain('otto@example.com');
    expect(expired.html).not.toContain('Acme');
    const post = await submit(server, first.path, { name: 'Otto', password: NEW_PASSWORD, passwordAgain: NEW_PASSWORD });
    expect(post.status).toBe(410);
    expect((await team(server, admin.token)).invitations).toMatchObject([{ id: created.body.id, status: 'expired' }]);

    const resent = await api<InvitationView>(server.url, 'POST', `/api/team/invitations/${created.body.id}/resend`, undefined, admin.token);
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ id: created.body.id, status: 'pending' });
    const second = await mailTo(server, admin.token, 'otto@example.com', 2);
    expect(second.path).not.toBe(first.path);
    expect((await getPage(server, first.path)).status).toBe(404);
    expect((await submit(server, second.path, { name: 'Otto', password: NEW_PASSWORD, passwordAgain: NEW_PASSWORD })).status).toBe(201);
    expect((await login(server, 'otto@example.com', NEW_PASSWORD)).status).toBe(200);
  });

  it('revokes an open invitation: its link leads nowhere, and pages for unknown links name nobody', async () => {
    const { server, admin } = await start();
    const created = await invite(server, admin.token, { email: 'rex@example.com', role: 'operator' });
    const { path } = await mailTo(server, admin.token, 'rex@example.com');
    expect((await api(server.url, 'DELETE', `/api/team/invitations/${created.body.id}`, undefined, admin.token)).status).toBe(204);
    expect((await team(server, admin.token)).invitations).toEqual([]);
    const gone = await getPage(server, path);
    expect(gone.status).toBe(404);
    expect(gone.html).toContain('This invitation link does not work');
    expect(gone.html).not.toContain('rex@example.com');
    expect(gone.html).not.toContain('Acme');
    expect((await submit(server, path, { name: 'Rex', password: NEW_PASSWORD, passwordAgain: NEW_PASSWORD })).status).toBe(404);
    expect((await api<ErrorBody>(server.url, 'DELETE', `/api/team/invitations/${created.body.id}`, undefined, admin.token)).body.error.code).toBe('not_found');
    // A token of the wrong shape, and one of the right shape that matches nothing.
    expect((await getPage(server, '/invite/not-a-token')).status).toBe(404);
    expect((await getPage(server, `/invite/${'A'.repeat(43)}`)).status).toBe(404);
  });

  it('refuses an email that already signs in or already has an open invitation, and mails nothing for it', async () => {
    const { server, admin } = await start();
    const taken = await invite(server, admin.token, { email: admin.email, role: 'operator' });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'conflict']);
    expect((await invite(server, admin.token, { email: 'ivy@example.com', role: 'operator' })).status).toBe(201);
    const twice = await invite(server, admin.token, { email: 'IVY@example.com', role: 'admin' });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'conflict']);
    expect(twice.body.error.message).toContain('resend');
    await mailTo(server, admin.token, 'ivy@example.com');
    // The refused invitations queued no mail (each mail is queued in its invitation's transaction).
    await new Promise((r) => setTimeout(r, 300));
    expect((await outbox(server, admin.token)).map((m) => m.to)).toEqual([['ivy@example.com']]);
    const [jobs] = await queryRows<{ n: number }>(server.app.ctx.db, sql`SELECT count(*)::int AS n FROM jobs WHERE kind = 'mail.send'`);
    expect(jobs!.n).toBe(1);
  });
});

describe('roles and status (A5)', () => {
  it('lists operators with their role, status and whether they are online now', async () => {
    const { server, admin } = await start();
    const online = await h.colleague(server, admin.account.id, 'Olga Online');
    online.socket.disconnect();
    const still = await h.colleague(server, admin.account.id, 'Sam Socket');
    await invite(server, admin.token, { email: 'pending@example.com', role: 'operator' });
    const view = await team(server, admin.token);
    const byName = Object.fromEntries(view.members.map((m) => [m.name, m]));
    expect(Object.keys(byName).sort()).toEqual(['Ada Admin', 'Olga Online', 'Sam Socket']);
    expect(byName['Ada Admin']).toMatchObject({ role: 'admin', status: 'active', online: true, email: admin.email });
    expect(byName['Sam Socket']).toMatchObject({ role: 'operator', status: 'active', online: true, id: still.operator.id });
    expect(byName['Olga Online']).toMatchObject({ online: false });
    expect(view.invitations).toMatchObject([{ email: 'pending@example.com', status: 'pending' }]);
    // Another account sees only its own team.
    const other = await h.operator(server, { account: 'Other' });
    expect((await team(server, other.token)).members.map((m) => m.name)).toEqual(['Olivia Operator']);
  });

  it('changes a role at once: the operator’s sockets reconnect with it', async () => {
    const { server, admin } = await start();
    const colleague = await h.colleague(server, admin.account.id);
    const cut = disconnected(colleague.socket);
    const res = await patchMember(server, admin.token, colleague.operator.id, { role: 'supervisor' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: colleague.operator.id, role: 'supervisor', status: 'active' });
    // Cut on purpose: the panel tries again at once (extension/background/hub.ts) and its new handshake reads the new role.
    expect(await cut).toBe('io server disconnect');
    const me = await api<{ operator: { role: string } }>(server.url, 'GET', '/api/auth/me', undefined, colleague.token);
    expect(me.body.operator.role).toBe('supervisor');
    // The session lives on: the same token connects again.
    await h.connectOperator(server, colleague.token);
  });

  it('never leaves the account without an active admin', async () => {
    const { server, admin } = await start();
    const self = admin.admin.id;
    for (const body of [{ role: 'operator' }, { role: 'supervisor' }, { status: 'disabled' }]) {
      const res = await patchMember(server, admin.token, self, body);
      expect([res.status, res.body.error?.code], JSON.stringify(body)).toEqual([409, 'conflict']);
      expect(res.body.error.message).toBe('You are the last active admin of this account: make someone else an admin first.');
    }
    const colleague = await h.colleague(server, admin.account.id);
    expect((await patchMember(server, admin.token, colleague.operator.id, { role: 'admin' })).status).toBe(200);
    // A disabled admin does not count.
    expect((await patchMember(server, admin.token, colleague.operator.id, { status: 'disabled' })).status).toBe(200);
    expect((await patchMember(server, admin.token, self, { role: 'operator' })).status).toBe(409);
    expect((await patchMember(server, admin.token, colleague.operator.id, { status: 'active' })).status).toBe(200);
    // Two active admins: either may step down now.
    const demoted = await patchMember(server, admin.token, self, { role: 'operator' });
    expect(demoted.status).toBe(200);
    expect(demoted.body.role).toBe('operator');
    // An operator now: the Team routes refuse them.
    expect((await api<ErrorBody>(server.url, 'GET', '/api/team', undefined, admin.token)).body.error.code).toBe('forbidden');
  });

  it('disables an operator: sessions revoked, sockets cut at once, sign-in refused; enabling lets them sign in again', async () => {
    const { server, admin } = await start();
    const colleague = await h.colleague(server, admin.account.id, 'Dora Disabled');
    const email = colleague.operator.email;
    const cut = disconnected(colleague.socket);
    const res = await patchMember(server, admin.token, colleague.operator.id, { status: 'disabled' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'disabled', online: false });
    expect(await cut).toBe('io server disconnect');

    const me = await api<ErrorBody>(server.url, 'GET', '/api/auth/me', undefined, colleague.token);
    expect([me.status, me.body.error.code]).toEqual([401, 'unauthenticated']);
    await expect(h.connectOperator(server, colleague.token)).rejects.toThrow('unauthenticated');
    const refused = await login(server, email, 'correct horse battery');
    expect([refused.status, refused.body.error.code, refused.body.error.message]).toEqual([
      403,
      'forbidden',
      'This account is disabled. Ask an admin of your team to enable it.',
    ]);
    // A wrong password learns nothing about the account.
    expect((await login(server, email, 'wrong password')).status).toBe(401);
    // Nor can they get back in by a reset link.
    const reset = await api(server.url, 'POST', `/api/team/operators/${colleague.operator.id}/password-reset`, undefined, admin.token);
    expect(reset.status).toBe(409);
    expect((await team(server, admin.token)).members.find((m) => m.id === colleague.operator.id)).toMatchObject({ status: 'disabled', online: false });

    expect((await patchMember(server, admin.token, colleague.operator.id, { status: 'active' })).body.status).toBe('active');
    const back = await loginOk(server.url, email, 'correct horse battery');
    await h.connectOperator(server, back.token);
    expect((await team(server, admin.token)).members.find((m) => m.id === colleague.operator.id)).toMatchObject({ status: 'active', online: true });
  });

  it('refuses every team route to an operator and a supervisor with forbidden', async () => {
    const { server, admin } = await start();
    const colleague = await h.colleague(server, admin.account.id);
    const supervisor = await h.colleague(server, admin.account.id, 'Sue Supervisor');
    await patchMember(server, admin.token, supervisor.operator.id, { role: 'supervisor' });
    const id = admin.admin.id;
    const routes: [string, string, object?][] = [
      ['GET', '/api/team'],
      ['POST', '/api/team/invitations', { email: 'x@example.com', role: 'admin' }],
      ['POST', `/api/team/invitations/${id}/resend`],
      ['DELETE', `/api/team/invitations/${id}`],
      ['PATCH', `/api/team/operators/${id}`, { role: 'operator' }],
      ['POST', `/api/team/operators/${id}/password-reset`],
    ];
    for (const token of [colleague.token, supervisor.token]) {
      for (const [method, path, body] of routes) {
        const res = await api<ErrorBody>(server.url, method, path, body, token);
        expect([res.status, res.body.error.code], `${method} ${path}`).toEqual([403, 'forbidden']);
      }
    }
    expect((await team(server, admin.token)).members.find((m) => m.id === id)?.role).toBe('admin');
  });
});

describe('password reset (A5)', () => {
  /** Waits until every `team.passwordReset` job has run. */
  async function requestsDone(server: TestServer) {
    await until(
      async () =>
        (await queryRows<{ n: number }>(server.app.ctx.db, sql`SELECT count(*)::int AS n FROM jobs WHERE kind = 'team.passwordReset' AND status <> 'done'`))[0]!
          .n === 0,
      10_000,
      'the reset requests to be handled',
    );
  }

  it('answers 202 for any email, mails a one-hour single-use link to a known one, and revokes every session when it is used', async () => {
    const { server, admin } = await start();
    const colleague = await h.colleague(server, admin.account.id, 'Rita Reset');
    const email = colleague.operator.email;
    const otherSession = await loginOk(server.url, email, 'correct horse battery');

    for (const who of ['nobody@example.com', email.toUpperCase()]) {
      const res = await api<{ accepted: boolean }>(server.url, 'POST', '/api/auth/password-reset', { email: who });
      expect([res.status, res.body]).toEqual([202, { accepted: true }]);
    }
    await requestsDone(server);
    const { mail, path } = await mailTo(server, admin.token, email);
    expect(mail.subject).toBe('Set a new Sidedesk password');
    expect(mail.text).toContain('Hello Rita Reset');
    expect(path).toMatch(/^\/reset-password\//);
    // Nothing went to the unknown address.
    expect((await outbox(server, admin.token)).flatMap((m) => m.to)).toEqual([email]);
    const [reset] = await queryRows<{ minutes: number }>(
      server.app.ctx.db,
      sql`SELECT round(extract(epoch FROM expires_at - created_at) / 60)::int AS minutes FROM password_resets`,
    );
    expect(reset!.minutes).toBe(60);

    const page = await getPage(server, path);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Set a new password');
    expect(page.html).toContain(email);
    expect((await submit(server, path, { password: NEW_PASSWORD, passwordAgain: 'not the same' })).status).toBe(400);

    const cut = disconnected(colleague.socket);
    const done = await submit(server, path, { password: NEW_PASSWORD, passwordAgain: NEW_PASSWORD });
    expect(done.status).toBe(200);
    expect(done.html).toContain('Your password is changed');
    await cut;
    for (const token of [colleague.token, otherSession.token]) expect((await api(server.url, 'GET', '/api/auth/me', undefined, token)).status).toBe(401);
    expect((await login(server, email, 'correct horse battery')).status).toBe(401);
    expect((await login(server, email, NEW_PASSWORD)).status).toBe(200);

    // Single use.
    const reused = await submit(server, path, { password: 'yet another passphrase', passwordAgain: 'yet another passphrase' });
    expect(reused.status).toBe(410);
    expect(reused.html).toContain('This link was already used');
    expect((await login(server, email, 'yet another passphrase')).status).toBe(401);
  });

  it('refuses a link after its hour with a clear page', async () => {
    const { server, admin } = await start();
    const colleague = await h.colleague(server, admin.account.id);
    expect((await api(server.url, 'POST', '/api/auth/password-reset', { email: colleague.operator.email })).status).toBe(202);
    const { path } = await mailTo(server, admin.token, colleague.operator.email);
    await server.app.ctx.db.execute(sql`UPDATE password_resets SET expires_at = now() - interval '1 second'`);
    const page = await getPage(server, path);
    expect(page.status).toBe(410);
    expect(page.html).toContain('This link has expired');
    expect(page.html).not.toContain(colleague.operator.email);
    expect((await submit(server, path, { password: NEW_PASSWORD, passwordAgain: NEW_PASSWORD })).status).toBe(410);
    expect((await login(server, colleague.operator.email, 'correct horse battery')).status).toBe(200);
  });

  it('lets an admin send an operator a reset link', async () => {
    const { server, admin } = await start();
    const colleague = await h.colleague(server, admin.account.id, 'Carl');
    const res = await api(server.url, 'POST', `/api/team/operators/${colleague.operator.id}/password-reset`, undefined, admin.token);
    expect([res.status, res.body]).toEqual([202, { accepted: true }]);
    const { mail, path } = await mailTo(server, admin.token, colleague.operator.email);
    expect(mail.text).toContain('Ada Admin, an admin of Acme, sent you a link');
    expect((await submit(server, path, { password: NEW_PASSWORD, passwordAgain: NEW_PASSWORD })).status).toBe(200);
    expect((await login(server, colleague.operator.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('rate-limits requests per email and per address, whether or not the email has an account', async () => {
    const { server } = await start();
    const ask = (email: string) => api<ErrorBody>(server.url, 'POST', '/api/auth/password-reset', { email });
    for (let i = 0; i < 3; i++) expect((await ask('flood@example.com')).status).toBe(202);
    const perEmail = await ask('flood@example.com');
    expect([perEmail.status, perEmail.body.error.code]).toEqual([429, 'rate_limited']);
    expect(perEmail.headers.get('retry-after')).toBeTruthy();
    // 4 counted from this address so far (the refused one too); 6 more, then the address is over its 10.
    for (let i = 0; i < 6; i++) expect((await ask(`someone-${i}@example.com`)).status).toBe(202);
    expect((await ask('fresh@example.com')).status).toBe(429);
  });
});

// Q4: two nodes on one PostgreSQL, sockets shared through the Redis adapter.
describe.runIf(process.env.DATABASE_URL)('the team across nodes (A5)', () => {
  it('sees an operator connected to the other node as online, and cuts their socket there when they are disabled', async () => {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const a = await h.server({ redisUrl, publicUrl: PUBLIC_URL });
    if (a.database.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const appB = await createApp(testConfig({ databaseUrl: a.database.url, redisUrl }));
    const b: TestServer = { app: appB, url: (await appB.listen(0)).url, database: a.database, close: () => appB.close() };
    try {
      const admin = await h.operator(a);
      const colleague = await h.colleague(a, admin.account.id, 'Nico Node-B');
      colleague.socket.disconnect();
      const onB = await h.connectOperator(b, colleague.token);
      expect((await team(a, admin.token)).members.find((m) => m.id === colleague.operator.id)?.online).toBe(true);

      const cut = disconnected(onB);
      expect((await patchMember(a, admin.token, colleague.operator.id, { status: 'disabled' })).status).toBe(200);
      expect(await cut).toBe('io server disconnect');
      expect((await api(b.url, 'GET', '/api/auth/me', undefined, colleague.token)).status).toBe(401);
    } finally {
      await appB.close();
    }
  });
});
