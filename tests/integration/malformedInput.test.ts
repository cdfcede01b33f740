import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { countAccounts } from '../../server/src/features/accounts/repo';
import type { AppOptions } from '../../server/src/app';
import { logCapture } from '../support/log';
import { Harness, type ErrorBody, type TestServer } from '../support/server';

const h = new Harness();
const logs: ReturnType<typeof logCapture>[] = [];
afterEach(async () => {
  await h.closeAll();
  // Nothing here is the server's fault: no error lines, no stack traces.
  expect(logs.splice(0).flatMap((log) => log.errors())).toEqual([]);
});

/** A server whose log is checked after the test. */
function serve(options: AppOptions = {}) {
  const log = logCapture();
  logs.push(log);
  return h.server({}, { ...options, log: log.options });
}

/** A raw request (fetch normalises paths, headers and bodies that these tests need malformed). */
function raw(server: TestServer, options: http.RequestOptions & { body?: string | Buffer }): Promise<{ status: number; type: string; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const jsonError = (body: string) => (JSON.parse(body) as ErrorBody).error;

describe('malformed input (#4)', () => {
  it('answers a setup form with a repeated field with 400 and the error beside the field', async () => {
    const server = await serve();
    const res = await raw(server, {
      method: 'POST',
      path: '/setup',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'account=Acme&name=a&name=b&email=ada%40example.com&password=long+enough',
    });
    expect(res.status).toBe(400);
    expect(res.type).toContain('text/html');
    expect(res.body).toMatch(/id="name-error">[^<]*once/);
    expect(res.body).toContain('value="Acme"');
    expect(await countAccounts(server.app.ctx.db)).toBe(0);
  });

  it('answers a percent-encoded path that is not UTF-8 with 400', async () => {
    const server = await serve();
    await h.account(server);
    for (const path of ['/demo/%E0%A4%A', '/demo/%FF.html']) {
      const res = await raw(server, { path });
      expect(res.status, path).toBe(400);
      expect(jsonError(res.body)).toEqual({ code: 'validation_failed', message: expect.stringContaining('URL') });
    }
  });

  it('answers bad query strings on /demo with 400 or the page, never 500', async () => {
    const server = await serve({ paths: { demoDir: `${import.meta.dirname}/../../widget/demo` } });
    const { account } = await h.account(server);
    const repeated = await raw(server, { path: `/demo/?account=${account.id}&account=${account.id}` });
    expect(repeated.status).toBe(400);
    expect(jsonError(repeated.body).message).toMatch(/account/);
    const notUuid = await raw(server, { path: '/demo/?account=not-a-uuid' });
    expect(notUuid.status).toBe(400);
    for (const path of ['/demo/?account[]=x', '/demo/?%', '/demo/?account=%E0%A4%A', '/demo/?=&&=']) {
      const res = await raw(server, { path });
      expect([200, 400], path).toContain(res.status);
    }
  });

  it('answers bad JSON, a wrong content type, an unsupported charset or encoding with a 4xx and a clear message', async () => {
    const server = await serve();
    const login = (headers: http.OutgoingHttpHeaders, body: string | Buffer) => raw(server, { method: 'POST', path: '/api/auth/login', headers, body });

    const badJson = await login({ 'content-type': 'application/json' }, '{"email": ');
    expect(badJson.status).toBe(400);
    expect(jsonError(badJson.body)).toEqual({ code: 'validation_failed', message: 'Request body is not valid JSON' });

    const text = await login({ 'content-type': 'text/plain' }, '{"email":"a@example.com","password":"x"}');
    expect(text.status).toBe(400);
    expect(jsonError(text.body).code).toBe('validation_failed');

    const charset = await login({ 'content-type': 'application/json; charset=ebcdic' }, '{}');
    expect(charset.status).toBe(415);
    expect(jsonError(charset.body)).toEqual({ code: 'validation_failed', message: expect.stringMatching(/charset/i) });

    const encoding = await login({ 'content-type': 'application/json', 'content-encoding': 'zstd-nope' }, '{}');
    expect(encoding.status).toBe(415);
    expect(jsonError(encoding.body)).toEqual({ code: 'validation_failed', message: expect.stringMatching(/encoding/i) });

    const gzipJunk = await login({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'not gzip at all');
    expect(gzipJunk.status).toBe(400);
    expect(jsonError(gzipJunk.body).code).toBe('validation_failed');

    const tooLarge = await login({ 'content-type': 'application/json' }, JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(200_000) }));
    expect(tooLarge.status).toBe(413);
    expect(jsonError(tooLarge.body)).toEqual({ code: 'validation_failed', message: 'Request body too large' });

    const manyFields = await raw(server, {
      method: 'POST',
      path: '/setup',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Array.from({ length: 2000 }, (_, i) => `f${i}=1`).join('&'),
    });
    expect(manyFields.status).toBe(413);
  });

  it('answers bad query strings and paths on /api with 4xx JSON', async () => {
    const server = await serve();
    for (const path of ['/api/auth/me?%', '/api/auth/me?a=%E0%A4%A&a=1', '/api/%E0%A4%A', '/api/auth/login?x[]=1']) {
      const res = await raw(server, { path });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(res.type, path).toContain('application/json');
    }
  });

  it('refuses huge headers with 431 before any route runs', async () => {
    const server = await serve();
    // Over a bare socket: the server answers and closes while the client may still be writing
    // the headers, which an HTTP client reports as a reset instead of the answer it received.
    const { port } = new URL(server.url);
    const answer = await new Promise<string>((resolve) => {
      let received = '';
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(`GET /api/auth/me HTTP/1.1\r\nHost: localhost\r\nX-Junk: ${'x'.repeat(64 * 1024)}\r\n\r\n`);
      });
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.on('error', () => {});
      socket.on('close', () => resolve(received));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
  });
});
