import { afterEach, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { pageViews, visitors } from '../../server/src/db/schema/index';
import { getOrCreateSecret } from '../../server/src/db/secrets';
import { VISITOR_TOKEN_TTL_MS, VisitorTokens } from '../../server/src/features/visitors/token';
import type { DepartmentView } from '../../shared/schemas/routing';
import { api, collect, collectRows, Harness, loginOk, waitFor, waitForRow } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

const FIREFOX_ANDROID = 'Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0';
const page = (url: string, extra: Record<string, unknown> = {}) => ({
  url,
  title: `Title of ${url}`,
  referrer: 'https://search.example/?q=x',
  language: 'de-DE',
  screen: { width: 390, height: 844 },
  ...extra,
});

describe('visitors', () => {
  it('issues a signed token on first connect and recognises the visitor with it later', async () => {
    const server = await h.server();
    const { account } = await h.account(server, { account: 'Shop' });
    const first = await h.connectVisitor(server, account.id);
    expect(first.session).toMatchObject({ accountName: 'Shop', operatorsAvailable: false, chat: null });
    expect(first.session.visitorToken).toMatch(/^[A-Za-z0-9_-]{27}\.[A-Za-z0-9_-]{43}$/);
    first.socket.disconnect();

    const again = await h.connectVisitor(server, account.id, first.session.visitorToken);
    expect(again.session.visitorId).toBe(first.session.visitorId);
  });

  it('treats a forged or tampered token as a brand-new visitor', async () => {
    const server = await h.server();
    const { account } = await h.account(server);
    const { session } = await h.connectVisitor(server, account.id);
    const [id, sig] = session.visitorToken.split('.');
    const tampered = `${id}.${sig!.slice(0, -2)}${sig!.endsWith('AA') ? 'BB' : 'AA'}`;
    // #4: another spelling of the genuine token (trailing junk, padding) is not the token either.
    for (const token of [tampered, `${id}`, 'garbage', `${id}.${id}`, `${session.visitorToken}=`, `${session.visitorToken}!!`]) {
      const other = await h.connectVisitor(server, account.id, token);
      expect(other.session.visitorId).not.toBe(session.visitorId);
    }
  });

  it('treats an expired token as a new visitor, and hands out a token with a new expiry on every connect', async () => {
    const server = await h.server();
    const { account } = await h.account(server);
    const { session } = await h.connectVisitor(server, account.id);
    const key = await getOrCreateSecret(server.app.ctx.db, 'visitor_token');
    const signedAt = (at: number) => new VisitorTokens(key, { now: () => at }).sign(account.id, session.visitorId);

    const nearlyExpired = signedAt(Date.now() - VISITOR_TOKEN_TTL_MS + 60_000);
    const renewed = await h.connectVisitor(server, account.id, nearlyExpired);
    expect(renewed.session.visitorId).toBe(session.visitorId);
    const expiry = (token: string) => Buffer.from(token.split('.')[0]!, 'base64url').readUInt32BE(16) * 1000;
    expect(expiry(renewed.session.visitorToken)).toBeGreaterThan(Date.now() + VISITOR_TOKEN_TTL_MS - 60_000);

    const expired = await h.connectVisitor(server, account.id, signedAt(Date.now() - VISITOR_TOKEN_TTL_MS - 1000));
    expect(expired.session.visitorId).not.toBe(session.visitorId);
  });

  it('refuses an unknown or malformed account id with connect_error not_found', async () => {
    const server = await h.server();
    await expect(h.connectVisitor(server, '00000000-0000-4000-8000-000000000000')).rejects.toThrow('not_found');
    await expect(h.connectVisitor(server, 'acme')).rejects.toThrow('not_found');
  });

  it('tells operators about page views live, with browser, platform, language and screen, and keeps the history', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const { socket: visitor, session } = await h.connectVisitor(server, op.account.id, undefined, { 'user-agent': FIREFOX_ANDROID });
    const update = waitForRow(op.socket, (v) => v.currentUrl === 'https://shop.example/cart');

    expect(await visitor.emitWithAck('page:view', page('https://shop.example/'))).toEqual({ ok: true, data: null });
    expect(await visitor.emitWithAck('page:view', page('https://shop.example/cart', { referrer: 'https://shop.example/' }))).toEqual({ ok: true, data: null });
    const view = await update;
    expect(view).toMatchObject({
      id: session.visitorId,
      online: true,
      state: 'browsing',
      pageTitle: 'Title of https://shop.example/cart',
      // The visit's landing referrer is kept through in-site navigation.
      referrer: 'https://search.example/?q=x',
      language: 'de-DE',
      screen: '390×844',
      browser: 'Firefox 128',
      platform: 'Android 14, mobile',
      ip: '127.0.0.1',
      country: null,
      pagesViewed: 2,
    });
    const history = await server.app.ctx.db.select().from(pageViews).where(eq(pageViews.visitorId, session.visitorId));
    expect(history.map((p) => p.url)).toEqual(['https://shop.example/', 'https://shop.example/cart']);

    const list = await op.socket.emitWithAck('visitor:list', {});
    expect(list.ok && list.data.map((v) => v.id)).toEqual([session.visitorId]);
  });

  it('stays online while any tab is open and goes offline when the last one closes', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const tab1 = await h.connectVisitor(server, op.account.id);
    const tab2 = await h.connectVisitor(server, op.account.id, tab1.session.visitorToken);
    expect(tab2.session.visitorId).toBe(tab1.session.visitorId);
    const updates = collectRows(op.socket);

    tab1.socket.disconnect();
    await new Promise((r) => setTimeout(r, 300));
    expect(updates.filter((v) => !v.online)).toEqual([]);
    let list = await op.socket.emitWithAck('visitor:list', {});
    expect(list.ok && list.data[0]?.online).toBe(true);

    const offline = waitForRow(op.socket, (v) => !v.online);
    tab2.socket.disconnect();
    expect((await offline).id).toBe(tab1.session.visitorId);
    list = await op.socket.emitWithAck('visitor:list', {});
    expect(list.ok && list.data[0]?.online).toBe(false);
  });

  it('starts a new visit after 30 minutes without activity, on a page view or a reconnect', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const first = await h.connectVisitor(server, op.account.id);
    const { db } = server.app.ctx;
    const where = and(eq(visitors.id, first.session.visitorId), eq(visitors.accountId, op.account.id));
    const rewind = () =>
      db
        .update(visitors)
        .set({ lastSeenAt: sql`now() - interval '31 minutes'` })
        .where(where);

    await first.socket.emitWithAck('page:view', page('https://shop.example/'));
    await first.socket.emitWithAck('page:view', page('https://shop.example/a'));
    let [row] = await db.select().from(visitors).where(where);
    expect(row).toMatchObject({ visits: 1, pagesViewed: 2 });

    // A tab left open for over half an hour: its next page view starts visit 2.
    await rewind();
    await first.socket.emitWithAck('page:view', page('https://shop.example/b'));
    [row] = await db.select().from(visitors).where(where);
    expect(row).toMatchObject({ visits: 2, pagesViewed: 1 });

    const offline = waitForRow(op.socket, (v) => !v.online);
    first.socket.disconnect();
    await offline;
    await rewind();
    await h.connectVisitor(server, op.account.id, first.session.visitorToken);
    [row] = await db.select().from(visitors).where(where);
    expect(row).toMatchObject({ visits: 3, pagesViewed: 0 });
  });

  it('reads the visitor IP from X-Forwarded-For only when TRUST_PROXY is set', async () => {
    const headers = { 'x-forwarded-for': '8.8.8.8' };
    const plain = await h.server();
    const a = await h.account(plain);
    const viaPlain = await h.connectVisitor(plain, a.account.id, undefined, headers);
    const [rowPlain] = await plain.app.ctx.db.select().from(visitors).where(eq(visitors.id, viaPlain.session.visitorId));
    expect(rowPlain?.ip).toBe('127.0.0.1');

    const proxied = await h.server({ trustProxy: 1 });
    const b = await h.account(proxied);
    const viaProxy = await h.connectVisitor(proxied, b.account.id, undefined, headers);
    const [rowProxy] = await proxied.app.ctx.db.select().from(visitors).where(eq(visitors.id, viaProxy.session.visitorId));
    expect(rowProxy).toMatchObject({ ip: '8.8.8.8', country: 'US' });
  });

  it('tells widgets whether someone is online, never how many: the first operator in and the last out, not a second (#4)', async () => {
    const server = await h.server();
    const { account, admin, email, password } = await h.account(server);
    const { token } = await loginOk(server.url, email, password);
    const created = await api<DepartmentView>(server.url, 'POST', '/api/departments', { name: 'Sales' }, token);
    const sales = (await api<DepartmentView>(server.url, 'PATCH', `/api/departments/${created.body.id}`, { operatorIds: [admin.id] }, token)).body;
    const { socket: widget, session } = await h.connectVisitor(server, account.id);
    const availability = (available: boolean) => ({ operatorsAvailable: available, departments: [{ id: sales.id, name: 'Sales', available }] });
    expect(session).toMatchObject(availability(false));
    expect(session).not.toHaveProperty('operatorsOnline');
    const updates = collect(widget, 'availability:updated');
    const settled = () => new Promise((r) => setTimeout(r, 1_200)); // past the second that gathers changes

    const first = waitFor(widget, 'availability:updated', (a) => a.operatorsAvailable);
    const ada = await h.connectOperator(server, token);
    await first;
    await settled();
    // Someone was online already: the widgets see nothing new, coming or going.
    const colin = await h.colleague(server, account.id);
    await settled();
    colin.socket.disconnect();
    await settled();
    expect(updates).toEqual([availability(true)]);

    const last = waitFor(widget, 'availability:updated', (a) => !a.operatorsAvailable);
    ada.disconnect();
    await last;
    expect(updates).toEqual([availability(true), availability(false)]);
    expect((await h.connectVisitor(server, account.id)).session).toMatchObject(availability(false));
  });
});
