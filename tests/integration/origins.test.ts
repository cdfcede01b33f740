/**
 * #4: the websites an account's widget may run on. Refused at the /visitor handshake by the page's
 * Origin; the server's own pages always pass; admins edit the list over REST.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { visitors } from '../../server/src/db/schema/index';
import { insertOperator } from '../../server/src/features/auth/repo';
import { hashPassword } from '../../server/src/access/passwords';
import { updateAllowedOrigins } from '../../server/src/features/accounts/repo';
import type { AccountSettingsView } from '../../shared/schemas/accounts';
import type { Role } from '../../shared/schemas/auth';
import { api, Harness, loginOk, type ErrorBody, type TestServer } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

/** The connect_error of a widget handshake from `origin`, or 'connected'. */
async function handshakeFrom(
  server: TestServer,
  accountId: string,
  origin: string,
): Promise<'connected' | { message: string; data?: { code?: string; message?: string } }> {
  try {
    const { socket } = await h.connectVisitor(server, accountId, undefined, { Origin: origin });
    socket.disconnect();
    return 'connected';
  } catch (err) {
    return err as { message: string; data?: { code?: string; message?: string } };
  }
}

async function loginAs(server: TestServer, accountId: string, role: Role) {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'correct horse battery';
  await insertOperator(server.app.ctx.db, accountId, { email, name: role, role, passwordHash: await hashPassword(password) });
  return (await loginOk(server.url, email, password)).token;
}

describe('widget origins at the handshake', () => {
  it('connects a page of an allowed website, and one on a subdomain under an allowed wildcard', async () => {
    const server = await h.server();
    const { account } = await h.account(server);
    await updateAllowedOrigins(server.app.ctx.db, account.id, ['https://shop.example.com', 'https://*.example.org']);
    expect(await handshakeFrom(server, account.id, 'https://shop.example.com')).toBe('connected');
    expect(await handshakeFrom(server, account.id, 'https://eu.example.org')).toBe('connected');
    expect(await handshakeFrom(server, account.id, 'https://a.b.example.org')).toBe('connected');
    // The wildcard is for subdomains, with the same scheme and port.
    for (const origin of [
      'https://example.org',
      'http://eu.example.org',
      'https://eu.example.org:8443',
      'https://evilexample.org',
      'http://shop.example.com',
    ]) {
      expect(await handshakeFrom(server, account.id, origin), origin).toMatchObject({ message: 'origin_not_allowed' });
    }
  });

  it('refuses any other website and the null origin with origin_not_allowed and a message saying what to do', async () => {
    const server = await h.server();
    const { account } = await h.account(server);
    await updateAllowedOrigins(server.app.ctx.db, account.id, ['https://shop.example.com']);
    const evil = await handshakeFrom(server, account.id, 'https://evil.example');
    expect(evil).toMatchObject({ message: 'origin_not_allowed', data: { code: 'origin_not_allowed' } });
    expect(evil !== 'connected' && evil.data?.message).toBe(
      "This site (https://evil.example) is not in the account's allowed website addresses; an admin can add it in the Sidedesk extension's options.",
    );
    // Sandboxed frames and file: pages send "null".
    expect(await handshakeFrom(server, account.id, 'null')).toMatchObject({ message: 'origin_not_allowed' });
    // Refused before anything was stored: no visitor row for either attempt.
    expect(await server.app.ctx.db.select().from(visitors)).toHaveLength(0);
  });

  it("always connects the server's own pages (its /demo/), by the Host it was reached at or by PUBLIC_URL", async () => {
    const server = await h.server();
    const { account } = await h.account(server);
    expect(await handshakeFrom(server, account.id, server.url)).toBe('connected');
    // Same host, another port: another website.
    const port = Number(new URL(server.url).port);
    expect(await handshakeFrom(server, account.id, `http://127.0.0.1:${port + 1}`)).toMatchObject({ message: 'origin_not_allowed' });

    // Behind a proxy that sends its upstream address as Host, PUBLIC_URL names the public origin.
    const proxied = await h.server({ publicUrl: 'https://chat.example.com/' });
    const other = await h.account(proxied);
    expect(await handshakeFrom(proxied, other.account.id, 'https://chat.example.com')).toBe('connected');
    expect(await handshakeFrom(proxied, other.account.id, 'https://chat.example.com.evil.example')).toMatchObject({ message: 'origin_not_allowed' });
  });

  it('lets a client without any Origin header connect (not a browser page: it could send any Origin)', async () => {
    const server = await h.server();
    const { account } = await h.account(server);
    await updateAllowedOrigins(server.app.ctx.db, account.id, ['https://shop.example.com']);
    const { session } = await h.connectVisitor(server, account.id);
    expect(session.visitorToken).toBeTruthy();
  });

  it('applies an origin an admin adds to the next handshake', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    expect(await handshakeFrom(server, op.account.id, 'https://new-shop.example')).toMatchObject({ message: 'origin_not_allowed' });
    const res = await api<AccountSettingsView>(server.url, 'PATCH', '/api/account/settings', { allowedOrigins: ['new-shop.example'] }, op.token);
    expect(res.status).toBe(200);
    expect(await handshakeFrom(server, op.account.id, 'https://new-shop.example')).toBe('connected');
  });
});

describe('account settings (REST)', () => {
  it('lets an admin read and replace the allowed origins, normalised and without duplicates', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const empty = await api<AccountSettingsView>(server.url, 'GET', '/api/account/settings', undefined, op.token);
    expect(empty).toMatchObject({ status: 200, body: { allowedOrigins: [] } });

    const input = ['HTTPS://Shop.Example.com:443/cart?x=1', 'shop.example.com', 'http://localhost:8080/', '*.example.org', 'bücher.example'];
    const saved = await api<AccountSettingsView>(server.url, 'PATCH', '/api/account/settings', { allowedOrigins: input }, op.token);
    const expected = ['https://shop.example.com', 'http://localhost:8080', 'https://*.example.org', 'https://xn--bcher-kva.example'];
    expect(saved).toMatchObject({ status: 200, body: { allowedOrigins: expected } });
    expect((await api<AccountSettingsView>(server.url, 'GET', '/api/account/settings', undefined, op.token)).body.allowedOrigins).toEqual(expected);

    // A patch without the field changes nothing.
    expect((await api<AccountSettingsView>(server.url, 'PATCH', '/api/account/settings', {}, op.token)).body.allowedOrigins).toEqual(expected);
  });

  it('refuses operators and supervisors with forbidden, whatever they send, but lets them read', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    await api(server.url, 'PATCH', '/api/account/settings', { allowedOrigins: ['shop.example.com'] }, op.token);
    for (const role of ['operator', 'supervisor'] as const) {
      const token = await loginAs(server, op.account.id, role);
      for (const body of [{ allowedOrigins: ['evil.example'] }, { allowedOrigins: ['not a site'] }]) {
        const res = await api<ErrorBody>(server.url, 'PATCH', '/api/account/settings', body, token);
        expect(res.status, role).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
      const read = await api<AccountSettingsView>(server.url, 'GET', '/api/account/settings', undefined, token);
      expect(read.body.allowedOrigins).toEqual(['https://shop.example.com']);
    }
    const unsigned = await api<ErrorBody>(server.url, 'PATCH', '/api/account/settings', { allowedOrigins: [] });
    expect(unsigned.status).toBe(401);
  });

  it("never shows or changes another account's settings", async () => {
    const server = await h.server();
    const a = await h.operator(server, { account: 'A' });
    const b = await h.operator(server, { account: 'B' });
    await api(server.url, 'PATCH', '/api/account/settings', { allowedOrigins: ['a-shop.example'] }, a.token);
    expect((await api<AccountSettingsView>(server.url, 'GET', '/api/account/settings', undefined, b.token)).body.allowedOrigins).toEqual([]);
    // An account id in the body or the query is not a way in: the session decides.
    await api(server.url, 'PATCH', `/api/account/settings?accountId=${a.account.id}`, { accountId: a.account.id, allowedOrigins: ['b-shop.example'] }, b.token);
    expect((await api<AccountSettingsView>(server.url, 'GET', '/api/account/settings', undefined, a.token)).body.allowedOrigins).toEqual([
      'https://a-shop.example',
    ]);
    expect((await api<AccountSettingsView>(server.url, 'GET', '/api/account/settings', undefined, b.token)).body.allowedOrigins).toEqual([
      'https://b-shop.example',
    ]);
  });

  it('refuses junk with validation_failed naming the entry, and stores nothing of that request', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const res = await api<ErrorBody>(
      server.url,
      'PATCH',
      '/api/account/settings',
      { allowedOrigins: ['shop.example.com', 'not a site', 'ftp://files.example.com', 'null'] },
      op.token,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.issues).toEqual([
      { path: 'allowedOrigins.1', message: '"not a site" is not a website address; enter one like https://shop.example.com' },
      { path: 'allowedOrigins.2', message: '"ftp://files.example.com": only http:// and https:// websites can run the widget' },
      { path: 'allowedOrigins.3', message: '"null" is not a website address; enter one like https://shop.example.com' },
    ]);
    for (const body of [{ allowedOrigins: 'shop.example.com' }, { allowedOrigins: Array.from({ length: 101 }, (_, i) => `s${i}.example.com`) }]) {
      expect((await api(server.url, 'PATCH', '/api/account/settings', body, op.token)).status).toBe(400);
    }
    expect((await api<AccountSettingsView>(server.url, 'GET', '/api/account/settings', undefined, op.token)).body.allowedOrigins).toEqual([]);
  });
});
