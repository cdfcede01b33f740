/**
 * Read state and attention (P3, P5): the assigned operator's reads are stored, clear their unread
 * counts on every panel of theirs, and show the visitor "Seen" — only ever about the visitor's own
 * messages; the visitor's reads are stored for operators; the idle time is an account setting;
 * a visitor's second chat is marked as a returning visitor's (blue).
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountSettingsView } from '../../shared/schemas/accounts';
import { queryRows } from '../../server/src/db/raw';
import { ok } from '../support/ack';
import { freshTestDatabase } from '../support/db';
import { api, collect, Harness, newClientId, waitFor, type ErrorBody, type TestServer } from '../support/server';

const h = new Harness();
beforeAll(() => freshTestDatabase().then((d) => (d.kind === 'pglite' ? d.pglite.close() : d.drop())));
afterEach(() => h.closeAll());

/** Server + operator + a visitor whose chat the operator accepted (seq 1 the question, seq 2 "joined"). */
async function activeChat(server?: TestServer) {
  server ??= await h.server();
  const op = await h.operator(server, { account: 'Acme', name: 'Olivia' });
  const visitor = await h.connectVisitor(server, op.account.id);
  const started = ok(await visitor.socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Hello?' }));
  const conversationId = started.conversation.id;
  ok(await op.socket.emitWithAck('chat:accept', { conversationId }));
  return { server, op, visitor, conversationId };
}

async function readRow(server: TestServer, conversationId: string) {
  const [row] = await queryRows<{
    operator_read_seq: number;
    seen_position: number;
    visitor_read_seq: number;
    operator_read_at: unknown;
    visitor_read_at: unknown;
  }>(
    server.app.ctx.db,
    sql`SELECT operator_read_seq, seen_position, visitor_read_seq, operator_read_at, visitor_read_at FROM conversations WHERE id = ${conversationId}`,
  );
  return row!;
}

function internalNote(server: TestServer, op: { account: { id: string }; admin: { id: string } }, conversationId: string) {
  // Through the writer, as a service would (a transfer note, #7's whispers).
  return server.app.ctx.writer.write({
    accountId: op.account.id,
    conversationId,
    clientId: newClientId(),
    author: 'operator',
    operatorId: op.admin.id,
    authorName: 'Olivia',
    body: 'internal: refund approved',
    visibility: 'internal',
  });
}

describe('the operator reads a chat (P5)', () => {
  it('stores the read, clears it on their other panel, and tells the visitor "Seen" for their own messages only', async () => {
    const { server, op, visitor, conversationId } = await activeChat();
    // The same operator's second panel (another window or browser).
    const second = await h.connectOperator(server, op.token);
    const seen = collect(visitor.socket, 'read:seen');

    ok(await visitor.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Are you there?' })); // seq 3
    ok(await op.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Yes!' })); // seq 4
    await internalNote(server, op, conversationId); // seq 5

    // Read up to the "joined" note: the visitor's question (seq 1) is seen; the other panel follows.
    const otherPanel = waitFor(second, 'read:updated', (r) => r.conversationId === conversationId);
    const firstSeen = waitFor(visitor.socket, 'read:seen');
    expect(ok(await op.socket.emitWithAck('read:mark', { conversationId, seq: 2 }))).toEqual({ conversationId, operatorReadSeq: 2, visitorReadSeq: 0 });
    expect(await otherPanel).toEqual({ conversationId, operatorReadSeq: 2, visitorReadSeq: 0 });
    expect(await firstSeen).toEqual({ conversationId, seen: 1 });

    // Up to the internal note (and past the end: clamped): "Seen" names the visitor's own last message, seq 3.
    const secondSeen = waitFor(visitor.socket, 'read:seen', (s) => s.seen > 1);
    expect(ok(await op.socket.emitWithAck('read:mark', { conversationId, seq: 99 }))).toMatchObject({ operatorReadSeq: 5 });
    expect(await secondSeen).toEqual({ conversationId, seen: 3 });

    // Reading only operators' and internal messages tells the visitor nothing; nor does an older position.
    await internalNote(server, op, conversationId); // seq 6
    ok(await op.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Anything else?' })); // seq 7
    expect(ok(await op.socket.emitWithAck('read:mark', { conversationId, seq: 7 }))).toMatchObject({ operatorReadSeq: 7 });
    expect(ok(await op.socket.emitWithAck('read:mark', { conversationId, seq: 1 }))).toMatchObject({ operatorReadSeq: 7 });
    await new Promise((r) => setTimeout(r, 150));
    expect(seen).toEqual([
      { conversationId, seen: 1 },
      { conversationId, seen: 3 },
    ]);
    expect(JSON.stringify(seen)).not.toContain('internal');

    const row = await readRow(server, conversationId);
    expect(row).toMatchObject({ operator_read_seq: 7, seen_position: 3, visitor_read_seq: 0, visitor_read_at: null });
    expect(row.operator_read_at).not.toBeNull();

    // Listed and reloaded: the panel's chat list carries the read position, a reloaded widget its "Seen".
    const listed = ok(await second.emitWithAck('chat:list', {})).find((c) => c.id === conversationId)!;
    expect(listed).toMatchObject({ operatorReadSeq: 7, visitorReadSeq: 0, returningVisitor: false });
    const reloaded = await h.connectVisitor(server, op.account.id, visitor.session.visitorToken);
    expect(reloaded.session.chat?.conversation).toMatchObject({ id: conversationId, seen: 3 });
    expect(JSON.stringify(reloaded.session.chat?.conversation)).not.toMatch(/operatorReadSeq|visitorReadSeq/);
  });

  it("counts only the assigned operator's reading: a colleague looking in changes nothing", async () => {
    const { server, op, visitor, conversationId } = await activeChat();
    const colleague = await h.colleague(server, op.account.id);
    const seen = collect(visitor.socket, 'read:seen');
    const updates = collect(op.socket, 'read:updated');
    expect(ok(await colleague.socket.emitWithAck('read:mark', { conversationId, seq: 2 }))).toEqual({ conversationId, operatorReadSeq: 0, visitorReadSeq: 0 });
    await new Promise((r) => setTimeout(r, 150));
    expect(seen).toEqual([]);
    expect(updates).toEqual([]);
    expect(await readRow(server, conversationId)).toMatchObject({ operator_read_seq: 0, seen_position: 0 });
  });
});

describe('the visitor reads their chat (P5)', () => {
  it('stores what the widget displayed and tells the operator, never past what exists', async () => {
    const { server, op, visitor, conversationId } = await activeChat();
    await internalNote(server, op, conversationId); // seq 3, which the visitor never numbers
    ok(await op.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Hi Vera' })); // seq 4, the visitor's 3
    const told = waitFor(op.socket, 'read:updated', (r) => r.visitorReadSeq > 0);
    // The widget reports in its own numbering (#6: visitor_seq); operators see the internal seq.
    expect(ok(await visitor.socket.emitWithAck('read:mark', { conversationId, seq: 3 }))).toBeNull();
    expect(await told).toEqual({ conversationId, operatorReadSeq: 0, visitorReadSeq: 4 });
    ok(await visitor.socket.emitWithAck('read:mark', { conversationId, seq: 40 }));
    ok(await visitor.socket.emitWithAck('read:mark', { conversationId, seq: 1 }));
    // And "Seen" goes back in the visitor's numbering: their message is seq 5, their 4.
    ok(await visitor.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Hello!' }));
    const seen = waitFor(visitor.socket, 'read:seen', (r) => r.seen > 1);
    ok(await op.socket.emitWithAck('read:mark', { conversationId, seq: 5 }));
    expect(await seen).toEqual({ conversationId, seen: 4 });
    const row = await readRow(server, conversationId);
    expect(row).toMatchObject({ visitor_read_seq: 4, operator_read_seq: 5 });
    expect(row.visitor_read_at).not.toBeNull();
    // Someone else's chat is not theirs to read.
    const other = await h.connectVisitor(server, op.account.id);
    expect(await other.socket.emitWithAck('read:mark', { conversationId, seq: 1 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await visitor.socket.emitWithAck('read:mark', { conversationId, seq: -1 })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
  });
});

describe('attention settings and states (P3)', () => {
  it('keeps the idle time as an account setting (admins), refusing what is not a whole number of minutes from 1 to 120', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const get = () => api<AccountSettingsView>(server.url, 'GET', '/api/account/settings', undefined, op.token);
    expect((await get()).body.idleAfterMinutes).toBe(5);
    for (const [bad, message] of [
      [0, 'The idle time is at least 1 minute'],
      [121, 'The idle time is at most 120 minutes'],
      [2.5, 'Enter the idle time in whole minutes'],
      ['ten', 'Enter the idle time as a number of minutes'],
    ] as const) {
      const res = await api<ErrorBody>(server.url, 'PATCH', '/api/account/settings', { idleAfterMinutes: bad }, op.token);
      expect(res.status, String(bad)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(JSON.stringify(res.body.error), String(bad)).toContain(message);
    }
    const saved = await api<AccountSettingsView>(server.url, 'PATCH', '/api/account/settings', { idleAfterMinutes: 15 }, op.token);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ allowedOrigins: [], idleAfterMinutes: 15, operatorsMayMonitor: false });
    // Changing the origins leaves the idle time alone.
    await api(server.url, 'PATCH', '/api/account/settings', { allowedOrigins: ['https://shop.example.com'] }, op.token);
    expect((await get()).body).toEqual({ allowedOrigins: ['https://shop.example.com'], idleAfterMinutes: 15, operatorsMayMonitor: false });
    // An operator reads it (the panel needs it) but may not change it.
    const colleague = await h.colleague(server, op.account.id);
    expect((await api<AccountSettingsView>(server.url, 'GET', '/api/account/settings', undefined, colleague.token)).body.idleAfterMinutes).toBe(15);
    expect((await api(server.url, 'PATCH', '/api/account/settings', { idleAfterMinutes: 3 }, colleague.token)).status).toBe(403);
  });

  it("marks a visitor's later chats as a returning visitor's (blue), not their first", async () => {
    const { op, visitor, conversationId } = await activeChat();
    const first = ok(await op.socket.emitWithAck('chat:get', { conversationId }));
    expect(first.conversation.returningVisitor).toBe(false);
    ok(await visitor.socket.emitWithAck('chat:close', { conversationId }));
    const requested = waitFor(op.socket, 'chat:requested');
    ok(await visitor.socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Me again' }));
    expect(await requested).toMatchObject({ returningVisitor: true, operatorReadSeq: 0, visitorReadSeq: 0 });
  });
});
