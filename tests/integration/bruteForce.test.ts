import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as argon2 from '@node-rs/argon2';
import { createApp } from '../../server/src/app';
import { LOGIN_LIMITS } from '../../server/src/limits/login';
import { SETUP_LIMIT } from '../../server/src/limits/index';
import type { LoginResult } from '../../shared/schemas/auth';
import { hasRedisServer, startRedis, until } from '../support/cluster';
import { Harness, testConfig, type ErrorBody } from '../support/server';

// #4: every argon2 call the server makes is counted (the real functions still run).
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...real, hash: vi.fn(real.hash), verify: vi.fn(real.verify) };
});
const verifications = () => vi.mocked(argon2.verify).mock.calls.length;
const hashes = () => vi.mocked(argon2.hash).mock.calls.length;

const h = new Harness();
afterEach(() => h.closeAll());
/** With REDIS_URL (CI's second pass) the limits count in Redis, as on a multi-node install. */
const store = process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {};

/** POST /api/auth/login from `address` (the test servers trust one proxy hop, so X-Forwarded-For is the client). */
async function login(url: string, body: { email: string; password: string }, address?: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(address ? { 'x-forwarded-for': address } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as ErrorBody & LoginResult, retryAfter: res.headers.get('retry-after') };
}

describe('brute force on operator sign-in', () => {
  it('verifies at most the limit of 300 parallel attempts on one email from one address, and refuses the rest unverified', async () => {
    const server = await h.server({ ...store, trustProxy: 1 });
    const { email, password } = await h.account(server);
    const before = verifications();

    const attempts = Array.from({ length: 300 }, (_, i) => login(server.url, { email, password: i === 299 ? password : `guess-${i}` }, '198.51.100.7'));
    const results = await Promise.all(attempts);

    const limit = LOGIN_LIMITS.perAddressAndEmail.points;
    expect(verifications() - before).toBeLessThanOrEqual(limit);
    expect(results.filter((r) => r.status === 401).length).toBeLessThanOrEqual(limit);
    const refused = results.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(300 - limit);
    expect(refused[0]!.body.error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/^Too many sign-in attempts; try again in \d+ minutes\.$/),
    });
    expect(refused[0]!.body.error.retryAfterMs).toBeGreaterThan(0);
    expect(Number(refused[0]!.retryAfter)).toBeGreaterThan(0);
    // The right password came last: it was refused, not verified.
    expect(results[299]!.status).toBe(429);
  });

  it('stops 10 guesses from each of 20 addresses with the per-account limit, and lets the owner in from an address they used before', async () => {
    const server = await h.server({ ...store, trustProxy: 1 });
    const { email, password } = await h.account(server);
    const ownersOffice = '192.0.2.10';
    expect((await login(server.url, { email, password }, ownersOffice)).status).toBe(200);
    const before = verifications();

    const botnet = Array.from({ length: 20 }, (_, i) => `203.0.113.${i + 1}`);
    const results = await Promise.all(
      botnet.map(async (address) => {
        const statuses: number[] = [];
        for (let guess = 0; guess < 10; guess++) statuses.push((await login(server.url, { email, password: `guess-${guess}` }, address)).status);
        return statuses;
      }),
    );

    const statuses = results.flat();
    expect(verifications() - before).toBeLessThanOrEqual(LOGIN_LIMITS.perEmail.points);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(LOGIN_LIMITS.perEmail.points);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(200 - LOGIN_LIMITS.perEmail.points);

    // The trade-off: from a new address even the right password waits for the block to end…
    const stranger = await login(server.url, { email, password }, '198.51.100.99');
    expect(stranger.status).toBe(429);
    expect(stranger.body.error.retryAfterMs).toBeGreaterThanOrEqual(LOGIN_LIMITS.emailBackoff.firstSec * 1000 - 60_000);
    // …but the owner's usual address still gets in.
    expect((await login(server.url, { email, password }, ownersOffice)).status).toBe(200);
  });

  it('counts every address of one IPv6 /64 as one address', async () => {
    const server = await h.server({ ...store, trustProxy: 1 });
    const { email, password } = await h.account(server);
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_LIMITS.perAddressAndEmail.points + 3; i++) {
      statuses.push((await login(server.url, { email, password: `guess-${i}` }, `2001:db8:7:7:${i.toString(16)}::1`)).status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_LIMITS.perAddressAndEmail.points);
    expect(statuses.slice(-3)).toEqual([429, 429, 429]);
    // The next /64 is somebody else.
    expect((await login(server.url, { email, password }, '2001:db8:7:8::1')).status).toBe(200);
  });

  // Two app instances (two nodes) on one PostgreSQL database and one Redis.
  it.runIf(process.env.DATABASE_URL && process.env.REDIS_URL)('shares the counts between nodes through Redis', async () => {
    const redisUrl = process.env.REDIS_URL!;
    const a = await h.server({ redisUrl, trustProxy: 1 });
    if (a.database.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const appB = await createApp(testConfig({ databaseUrl: a.database.url, redisUrl, trustProxy: 1 }));
    try {
      const b = (await appB.listen(0)).url;
      const { email, password } = await h.account(a);
      const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
      const limit = LOGIN_LIMITS.perAddressAndEmail.points;
      for (let i = 0; i < limit; i++) expect((await login(i % 2 ? b : a.url, { email, password: `guess-${i}` }, address)).status).toBe(401);
      expect((await login(a.url, { email, password }, address)).status).toBe(429);
      expect((await login(b, { email, password }, address)).status).toBe(429);
    } finally {
      await appB.close();
    }
  });

  it.runIf(hasRedisServer)('keeps counting on its own, neither open nor shut, while Redis is down', async () => {
    const redis = await startRedis();
    try {
      const server = await h.server({ redisUrl: redis.url, trustProxy: 1 });
      const { email, password } = await h.account(server);
      await redis.stop();
      const statuses: number[] = [];
      for (let i = 0; i < LOGIN_LIMITS.perAddressAndEmail.points + 2; i++)
        statuses.push((await login(server.url, { email, password: `guess-${i}` }, '198.51.100.8')).status);
      expect(statuses).toEqual([...Array<number>(LOGIN_LIMITS.perAddressAndEmail.points).fill(401), 429, 429]);
      expect((await login(server.url, { email, password }, '198.51.100.9')).status).toBe(200);
      // Closing waits for the Socket.IO adapter's clients to quit, which they only do once reconnected.
      await redis.start();
      const clients = () =>
        spawnSync('redis-cli', ['-p', String(redis.port), 'client', 'list'], { encoding: 'utf8' })
          .stdout.trim()
          .split('\n').length;
      await until(() => clients() >= 4, 10_000, 'the server reconnecting to Redis'); // adapter pub + sub, limits, redis-cli
      await server.close();
    } finally {
      await redis.stop();
    }
  });
});

describe('first-run setup under load', () => {
  const body = { account: 'Acme', name: 'Ada Admin', email: 'ada@example.com', password: 'long enough' };

  it('hashes no password at all for parallel setup POSTs once the server is set up', async () => {
    const server = await h.server();
    await h.account(server);
    const before = hashes();
    const posts = await Promise.all([
      ...Array.from({ length: 20 }, () =>
        fetch(`${server.url}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      ),
      ...Array.from({ length: 20 }, () => fetch(`${server.url}/setup`, { method: 'POST', body: new URLSearchParams(body) })),
    ]);
    expect(posts.map((r) => r.status)).toEqual(Array(40).fill(409));
    expect(hashes() - before).toBe(0);
  });

  it('hashes at most the per-address limit of parallel setup POSTs before setup is done, and creates one account', async () => {
    const server = await h.server();
    const before = hashes();
    const posts = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`${server.url}/api/setup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...body, email: `ada${i}@example.com` }),
        }),
      ),
    );
    const statuses = posts.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.every((s) => s === 200 || s === 409 || s === 429)).toBe(true);
    expect(hashes() - before).toBeLessThanOrEqual(SETUP_LIMIT.points);
  });

  it('refuses setup attempts from one address past the limit, with the wait', async () => {
    const server = await h.server();
    const { limits } = server.app.ctx;
    for (let i = 0; i < SETUP_LIMIT.points; i++) await limits.setupAttempt('192.0.2.1');
    await expect(limits.setupAttempt('192.0.2.1')).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
    await expect(limits.setupAttempt('192.0.2.2')).resolves.toBeUndefined();
  });
});
