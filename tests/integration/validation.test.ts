import { afterEach, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { conversations, messages, pageViews, visitors } from '../../server/src/db/schema/index';
import { Harness, newClientId, type VisitorClient } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

describe('input validation (Q3)', () => {
  it('answers bad socket payloads with validation_failed and the issues, storing nothing', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const { socket: visitor } = await h.connectVisitor(server, op.account.id);
    const raw = visitor as unknown as { emitWithAck(ev: string, ...args: unknown[]): Promise<unknown> };

    const cases: [string, unknown, string[]][] = [
      ['chat:start', { clientId: newClientId(), name: '', email: 'nope', question: 'hi' }, ['name', 'email']],
      ['chat:start', { clientId: 'bad id!', name: 'V', email: 'v@example.com', question: '   ' }, ['clientId', 'question']],
      ['message:send', { conversationId: 'not-a-uuid', clientId: newClientId(), body: 'x'.repeat(5001) }, ['conversationId', 'body']],
      ['page:view', { url: 'javascript-is-not-a-url' }, ['url']],
      ['chat:sync', { conversationId: crypto.randomUUID(), afterSeq: -1 }, ['afterSeq']],
      ['typing:set', 'a string', ['']],
    ];
    for (const [event, payload, paths] of cases) {
      const res = (await raw.emitWithAck(event, payload)) as { ok: boolean; error: { code: string; issues: { path: string }[] } };
      expect(res.ok, event).toBe(false);
      expect(res.error.code).toBe('validation_failed');
      expect([...new Set(res.error.issues.map((i) => i.path))].sort()).toEqual(paths.sort());
    }
    const opRaw = op.socket as unknown as { emitWithAck(ev: string, ...args: unknown[]): Promise<unknown> };
    expect(await opRaw.emitWithAck('chat:accept', { conversationId: 42 })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });

    const { db } = server.app.ctx;
    for (const table of [conversations, messages, pageViews]) {
      const [row] = await db.select({ n: count() }).from(table);
      expect(row?.n).toBe(0);
    }
  });

  it('survives commands without an ack callback, or with the callback in place of the payload', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const { socket: visitor } = await h.connectVisitor(server, op.account.id);
    (visitor as unknown as { emit(ev: string, p: unknown): void }).emit('page:view', { url: 'https://a.example/' });
    (visitor as unknown as { emit(ev: string, p: unknown): void }).emit('message:send', { garbage: true });
    const res = await (op.socket as unknown as { emitWithAck(ev: string): Promise<unknown> }).emitWithAck('chat:list');
    expect(res).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    // Still serving.
    expect(await (visitor as VisitorClient).emitWithAck('page:view', { url: 'https://a.example/b' })).toEqual({ ok: true, data: null });
  });

  it('stores a page view whose fields carry NUL and lone surrogates, cleaned (#4)', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const { socket: visitor, session } = await h.connectVisitor(server, op.account.id);
    const res = await visitor.emitWithAck('page:view', {
      url: 'https://shop.example/\0a\uD800',
      title: 'Pricing\0 \uDE00plans',
      referrer: 'https://ref.example/\0',
      language: 'en\0',
      timezone: 'Europe/Paris\uD83D',
    });
    expect(res).toEqual({ ok: true, data: null });
    const [row] = await server.app.ctx.db.select().from(visitors).where(eq(visitors.id, session.visitorId));
    expect(row).toMatchObject({ pageTitle: 'Pricing \uFFFDplans', referrer: 'https://ref.example/', language: 'en', timezone: 'Europe/Paris\uFFFD' });
    expect(row?.currentUrl).toBe('https://shop.example/a\uFFFD');
  });
});
