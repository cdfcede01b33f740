import { eq } from 'drizzle-orm';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../server/src/config';
import { visitors } from '../../server/src/db/schema/index';
import { Harness } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

/** The visitor row's address after a widget handshake sending `forwardedFor` (the test client is the proxy, on loopback). */
async function handshakeIp(trustProxy: Config['trustProxy'], forwardedFor: string) {
  const server = await h.server({ trustProxy });
  const { account } = await h.account(server);
  const { session } = await h.connectVisitor(server, account.id, undefined, { 'x-forwarded-for': forwardedFor });
  const [row] = await server.app.ctx.db.select().from(visitors).where(eq(visitors.id, session.visitorId));
  return row;
}

/** `req.ip` as the real app's routes see it: read through Express's own getter during one login request. */
async function restIp(trustProxy: Config['trustProxy'], forwardedFor: string) {
  const server = await h.server({ trustProxy });
  const getter = Object.getOwnPropertyDescriptor(express.request, 'ip')!;
  const seen: unknown[] = [];
  Object.defineProperty(express.request, 'ip', {
    configurable: true,
    get(this: express.Request) {
      const ip: unknown = getter.get!.call(this);
      seen.push(ip);
      return ip;
    },
  });
  try {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong password' }),
    });
    expect(res.status).toBe(401);
  } finally {
    Object.defineProperty(express.request, 'ip', getter);
  }
  expect(seen.length).toBeGreaterThan(0);
  return [...new Set(seen)];
}

describe('TRUST_PROXY (#4)', () => {
  // Behind the sample nginx ($proxy_add_x_forwarded_for) the client's own header comes first.
  const spoofed = '1.2.3.4, 8.8.8.8';

  it('behind one trusted hop, takes the address nginx appended, not the one the client wrote', async () => {
    expect(await handshakeIp(1, spoofed)).toMatchObject({ ip: '8.8.8.8', country: 'US' });
    expect(await restIp(1, spoofed)).toEqual(['8.8.8.8']);
  });

  it('with a proxy list, trusts only those proxies', async () => {
    // The test client (127.0.0.1) and 10.9.9.9 are proxies; 8.8.8.8 is the first address that is not.
    expect(await handshakeIp(['127.0.0.1', '10.0.0.0/8'], '1.2.3.4, 8.8.8.8, 10.9.9.9')).toMatchObject({ ip: '8.8.8.8' });
    expect(await restIp(['127.0.0.1', '10.0.0.0/8'], '1.2.3.4, 8.8.8.8, 10.9.9.9')).toEqual(['8.8.8.8']);
    // The peer is not a listed proxy: its header is ignored.
    expect(await handshakeIp(['10.0.0.0/8'], spoofed)).toMatchObject({ ip: '127.0.0.1', country: null });
    expect(await restIp(['10.0.0.0/8'], spoofed)).toEqual(['127.0.0.1']);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY', async () => {
    expect(await handshakeIp(false, spoofed)).toMatchObject({ ip: '127.0.0.1' });
    expect(await restIp(false, spoofed)).toEqual(['127.0.0.1']);
  });
});
