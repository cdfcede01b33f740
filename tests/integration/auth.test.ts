import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { operatorSessions } from '../../server/src/db/schema/index';
import { hashToken } from '../../server/src/access/sessions';
import type { LoginResult } from '../../shared/schemas/auth';
import { api, Harness, loginOk, type ErrorBody } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

describe('operator auth', () => {
  it('logs in with the right password and answers /me with the operator and account', async () => {
    const server = await h.server();
    const { account, admin, email, password } = await h.account(server, { account: 'Acme Ltd', name: 'Ann' });

    const login = await api<LoginResult>(server.url, 'POST', '/api/auth/login', { email: email.toUpperCase(), password });
    expect(login.status).toBe(200);
    expect(login.body.operator).toEqual({ id: admin.id, accountId: account.id, email, name: 'Ann', role: 'admin' });
    expect(login.body.account).toEqual({ id: account.id, name: 'Acme Ltd' });
    expect(login.body.token.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url

    const me = await api<Omit<LoginResult, 'token'>>(server.url, 'GET', '/api/auth/me', undefined, login.body.token);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ operator: login.body.operator, account: login.body.account });
  });

  it('stores only the SHA-256 of the token and an argon2id password hash', async () => {
    const server = await h.server();
    const { admin, email, password } = await h.account(server);
    const { token } = await loginOk(server.url, email, password);
    const rows = await server.app.ctx.db.select().from(operatorSessions).where(eq(operatorSessions.operatorId, admin.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashToken(token));
    expect(rows[0]!.tokenHash).not.toContain(token);
    expect(admin.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const server = await h.server();
    const { email } = await h.account(server);
    for (const body of [
      { email, password: 'wrong password' },
      { email: 'nobody@example.com', password: 'whatever1' },
    ]) {
      const res = await api<ErrorBody>(server.url, 'POST', '/api/auth/login', body);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
  });

  it('rate-limits login per IP and email after 10 failures, even with the right password', async () => {
    const server = await h.server();
    const { email, password } = await h.account(server);
    for (let i = 0; i < 10; i++) {
      expect((await api(server.url, 'POST', '/api/auth/login', { email, password: `wrong-${i}` })).status).toBe(401);
    }
    const limited = await api<ErrorBody>(server.url, 'POST', '/api/auth/login', { email, password });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
  });

  it('rejects requests without a valid bearer token', async () => {
    const server = await h.server();
    for (const token of [undefined, 'not-a-token']) {
      const res = await api<ErrorBody>(server.url, 'GET', '/api/auth/me', undefined, token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
  });

  it('logout revokes the token on REST and sockets, and disconnects its open sockets', async () => {
    const server = await h.server();
    const { token, socket } = await h.operator(server);
    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));

    const out = await api(server.url, 'POST', '/api/auth/logout', undefined, token);
    expect(out.status).toBe(204);
    await disconnected;

    const me = await api<ErrorBody>(server.url, 'GET', '/api/auth/me', undefined, token);
    expect(me.status).toBe(401);
    await expect(h.connectOperator(server, token)).rejects.toThrow('unauthenticated');
  });

  it('refuses an operator socket without a token', async () => {
    const server = await h.server();
    await expect(h.connectOperator(server, '')).rejects.toThrow('unauthenticated');
  });

  it('answers CORS preflights on /api for other origins without allowing cookies', async () => {
    const server = await h.server();
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
