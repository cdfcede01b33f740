/**
 * Canned responses (P10, #6, server/src/features/canned/): personal ones are their owner's alone
 * (another operator neither sees nor changes them), the account's are read by everyone and changed
 * by admins only (REST on the options page, or the panel's socket), a shortcut is unique within
 * its scope, every field is validated with a message a person can act on, and changes reach the
 * panels concerned live.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CannedView } from '../../shared/schemas/canned';
import { freshTestDatabase } from '../support/db';
import { api, collect, Harness, waitFor, type ErrorBody } from '../support/server';

const h = new Harness();
// The file's first database makes the migrated dump (slow on a busy machine): before the tests' clocks start.
beforeAll(() => freshTestDatabase().then((d) => (d.kind === 'pglite' ? d.pglite.close() : d.drop())), 120_000);
afterEach(() => h.closeAll());

async function team() {
  const server = await h.server();
  const admin = await h.operator(server, { account: 'Acme', name: 'Ada Admin' });
  const olivia = await h.colleague(server, admin.account.id, 'Olivia Operator');
  const oscar = await h.colleague(server, admin.account.id, 'Oscar Other');
  return { server, admin, olivia, oscar };
}

const PRICE = { shortcut: 'price', title: 'Our prices', body: 'Hi {visitor.name}, see https://acme.test/pricing' };

describe('canned responses (P10)', () => {
  it("keeps an operator's personal responses theirs: others neither list, change nor delete them", async () => {
    const { server, admin, olivia, oscar } = await team();
    const oscarSaw = collect(oscar.socket, 'canned:saved');
    const adminSaw = collect(admin.socket, 'canned:saved');
    const oliviaLive = waitFor(olivia.socket, 'canned:saved');

    const created = await olivia.socket.emitWithAck('canned:create', { shortcut: '/Thanks', title: 'Thank you', body: 'Thanks, {visitor.name}!' });
    expect(created).toMatchObject({ ok: true, data: { scope: 'personal', shortcut: 'thanks', title: 'Thank you', body: 'Thanks, {visitor.name}!' } });
    if (!created.ok) return;
    const id = created.data.id;
    expect((await oliviaLive).id).toBe(id);

    const oliviaList = await olivia.socket.emitWithAck('canned:list', {});
    expect(oliviaList.ok && oliviaList.data.map((c) => c.shortcut)).toEqual(['thanks']);
    for (const other of [oscar, admin]) {
      const list = await other.socket.emitWithAck('canned:list', {});
      expect(list).toEqual({ ok: true, data: [] });
      expect(await other.socket.emitWithAck('canned:update', { cannedId: id, body: 'hijacked' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await other.socket.emitWithAck('canned:delete', { cannedId: id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    // Nor do admins reach it over REST: those routes are the account's set only.
    expect((await api<ErrorBody>(server.url, 'GET', '/api/canned', undefined, admin.token)).body).toEqual([]);
    const patch = await api<ErrorBody>(server.url, 'PATCH', `/api/canned/${id}`, { body: 'hijacked' }, admin.token);
    expect([patch.status, patch.body.error.code]).toEqual([404, 'not_found']);
    expect((await api(server.url, 'DELETE', `/api/canned/${id}`, undefined, admin.token)).status).toBe(404);

    // The owner changes and deletes it; nobody else was told anything.
    const updated = await olivia.socket.emitWithAck('canned:update', { cannedId: id, title: 'Thanks!' });
    expect(updated).toMatchObject({ ok: true, data: { id, title: 'Thanks!', body: 'Thanks, {visitor.name}!' } });
    const gone = waitFor(olivia.socket, 'canned:deleted');
    expect(await olivia.socket.emitWithAck('canned:delete', { cannedId: id })).toEqual({ ok: true, data: { id, scope: 'personal' } });
    expect(await gone).toEqual({ id, scope: 'personal' });
    expect(await olivia.socket.emitWithAck('canned:list', {})).toEqual({ ok: true, data: [] });
    expect(oscarSaw).toEqual([]);
    expect(adminSaw).toEqual([]);
  });

  it("lets only admins change the account's responses; every operator reads them, live", async () => {
    const { server, admin, olivia, oscar } = await team();
    // An operator: forbidden by REST (the route's role) and by socket (the scope), and nothing is stored.
    const rest = await api<ErrorBody>(server.url, 'POST', '/api/canned', PRICE, olivia.token);
    expect([rest.status, rest.body.error.code]).toEqual([403, 'forbidden']);
    expect((await api<ErrorBody>(server.url, 'GET', '/api/canned', undefined, olivia.token)).status).toBe(403);
    expect(await olivia.socket.emitWithAck('canned:create', { ...PRICE, scope: 'account' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const oscarLive = waitFor(oscar.socket, 'canned:saved');
    const created = await api<CannedView>(server.url, 'POST', '/api/canned', PRICE, admin.token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ scope: 'account', ...PRICE });
    expect(await oscarLive).toEqual(created.body);
    const id = created.body.id;

    for (const op of [olivia, oscar]) {
      expect(await op.socket.emitWithAck('canned:list', {})).toEqual({ ok: true, data: [created.body] });
      expect(await op.socket.emitWithAck('canned:update', { cannedId: id, body: 'changed' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await op.socket.emitWithAck('canned:delete', { cannedId: id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    const opPatch = await api<ErrorBody>(server.url, 'PATCH', `/api/canned/${id}`, { body: 'changed' }, olivia.token);
    expect(opPatch.status).toBe(403);

    // The admin changes it over REST and from the panel; everyone follows.
    const patched = await api<CannedView>(server.url, 'PATCH', `/api/canned/${id}`, { title: 'Prices', body: 'Prices: {operator.name}' }, admin.token);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, shortcut: 'price', title: 'Prices', body: 'Prices: {operator.name}' });
    const unchanged = await api<CannedView>(server.url, 'PATCH', `/api/canned/${id}`, {}, admin.token);
    expect(unchanged.body).toEqual(patched.body);
    const viaSocket = await admin.socket.emitWithAck('canned:update', { cannedId: id, shortcut: 'prices' });
    expect(viaSocket).toMatchObject({ ok: true, data: { shortcut: 'prices', scope: 'account' } });
    expect((await api<CannedView[]>(server.url, 'GET', '/api/canned', undefined, admin.token)).body.map((c) => c.shortcut)).toEqual(['prices']);

    const deleted = waitFor(olivia.socket, 'canned:deleted');
    expect((await api(server.url, 'DELETE', `/api/canned/${id}`, undefined, admin.token)).status).toBe(204);
    expect(await deleted).toEqual({ id, scope: 'account' });
    expect(await oscar.socket.emitWithAck('canned:list', {})).toEqual({ ok: true, data: [] });
  });

  it('keeps a shortcut unique within its scope, and lets a personal one share an account-wide shortcut', async () => {
    const { server, admin, olivia, oscar } = await team();
    expect((await api(server.url, 'POST', '/api/canned', PRICE, admin.token)).status).toBe(201);
    const again = await api<ErrorBody>(server.url, 'POST', '/api/canned', { ...PRICE, shortcut: 'PRICE', title: 'Other' }, admin.token);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', issues: [{ path: 'shortcut' }] });
    expect(again.body.error.message).toContain('/price');

    // Personal scope: one per operator, whatever the account has or colleagues use.
    const mine = await olivia.socket.emitWithAck('canned:create', { ...PRICE, body: 'My own prices' });
    expect(mine).toMatchObject({ ok: true, data: { scope: 'personal', shortcut: 'price' } });
    expect(await oscar.socket.emitWithAck('canned:create', { ...PRICE, body: 'Oscar prices' })).toMatchObject({ ok: true });
    expect(await olivia.socket.emitWithAck('canned:create', { ...PRICE, body: 'twice' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('You already have') },
    });
    // Renaming onto a taken shortcut is refused the same way.
    const other = await olivia.socket.emitWithAck('canned:create', { shortcut: 'hours', title: 'Hours', body: '9–5' });
    if (!other.ok) throw new Error('create failed');
    expect(await olivia.socket.emitWithAck('canned:update', { cannedId: other.data.id, shortcut: 'price' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', issues: [{ path: 'shortcut' }] },
    });
    // Two creates of one shortcut at once: exactly one wins.
    const race = await Promise.all([0, 1].map(() => api(server.url, 'POST', '/api/canned', { ...PRICE, shortcut: 'race' }, admin.token)));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);

    // Another account neither sees Acme's nor clashes with it.
    const globex = await h.operator(server, { account: 'Globex' });
    expect(await globex.socket.emitWithAck('canned:list', {})).toEqual({ ok: true, data: [] });
    expect((await api(server.url, 'GET', '/api/canned', undefined, globex.token)).body).toEqual([]);
    expect((await api(server.url, 'POST', '/api/canned', PRICE, globex.token)).status).toBe(201);

    // Olivia lists the account's and her own (both /price): the composer prefers hers.
    const list = await olivia.socket.emitWithAck('canned:list', {});
    expect(list.ok && list.data.map((c) => `${c.scope}:${c.shortcut}`)).toEqual(['personal:hours', 'personal:price', 'account:price', 'account:race']);
  });

  it('validates every field with a message a person can act on, and stores nothing invalid', async () => {
    const { server, admin, olivia } = await team();
    const cases: [object, string, string][] = [
      [{ ...PRICE, shortcut: '' }, 'shortcut', 'Enter a shortcut'],
      [{ ...PRICE, shortcut: 'two words' }, 'shortcut', 'Letters, digits, - and _ only (no spaces)'],
      [{ ...PRICE, shortcut: 'a'.repeat(33) }, 'shortcut', 'At most 32 characters'],
      [{ ...PRICE, title: '   ' }, 'title', 'Enter a title'],
      [{ ...PRICE, body: '' }, 'body', 'Enter the text'],
      [{ ...PRICE, body: 'x'.repeat(5001) }, 'body', 'At most 5000 characters'],
      [{ shortcut: 'price', title: 'No body' }, 'body', 'Enter the text'],
    ];
    for (const [body, path, message] of cases) {
      const rest = await api<ErrorBody>(server.url, 'POST', '/api/canned', body, admin.token);
      expect(rest.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(rest.body.error.issues).toContainEqual({ path, message });
      const socket = await olivia.socket.emitWithAck('canned:create', body as typeof PRICE);
      expect(socket.ok || socket.error.issues).toContainEqual({ path, message });
    }
    expect(await olivia.socket.emitWithAck('canned:create', { ...PRICE, scope: 'team' as 'account' })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
    // Unicode letters are fine, and stored lower-case; ends are trimmed, inner line breaks kept.
    const ok = await olivia.socket.emitWithAck('canned:create', { shortcut: 'Grüße', title: ' Hallo ', body: ' Zeile 1\nZeile 2 ' });
    expect(ok).toMatchObject({ ok: true, data: { shortcut: 'grüße', title: 'Hallo', body: 'Zeile 1\nZeile 2' } });
    expect((await api<CannedView[]>(server.url, 'GET', '/api/canned', undefined, admin.token)).body).toEqual([]);
  });
});
