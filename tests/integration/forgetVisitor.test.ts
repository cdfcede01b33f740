/**
 * #4: "forget this visitor". An admin deletes a visitor with everything of theirs; their widget is
 * disconnected and their old token then names nobody: they come back as a new visitor.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { conversations, messages, pageViews, visitors } from '../../server/src/db/schema/index';
import { insertOperator } from '../../server/src/features/auth/repo';
import { hashPassword } from '../../server/src/access/passwords';
import type { Role } from '../../shared/schemas/auth';
import { createApp } from '../../server/src/app';
import { api, Harness, loginOk, newClientId, testConfig, waitFor, type ErrorBody, type TestServer } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

/** A visitor with a page view and an accepted chat of two messages. */
async function visitorWithChat(server: TestServer, op: Awaited<ReturnType<Harness['operator']>>) {
  const visitor = await h.connectVisitor(server, op.account.id);
  await visitor.socket.emitWithAck('page:view', { url: 'https://shop.example.com/cart', title: 'Cart' });
  const started = await visitor.socket.emitWithAck('chat:start', {
    clientId: newClientId(),
    name: 'Vera',
    email: 'vera@example.com',
    question: 'Where is my parcel?',
  });
  if (!started.ok) throw new Error(started.error.message);
  const conversationId = started.data.conversation.id;
  await op.socket.emitWithAck('chat:accept', { conversationId });
  return { ...visitor, visitorId: visitor.session.visitorId, conversationId };
}

async function rowsOf(server: TestServer, visitorId: string) {
  const { db } = server.app.ctx;
  const chats = await db.select().from(conversations).where(eq(conversations.visitorId, visitorId));
  const stored = chats.length ? await db.select().from(messages).where(eq(messages.conversationId, chats[0]!.id)) : [];
  return {
    visitors: (await db.select().from(visitors).where(eq(visitors.id, visitorId))).length,
    conversations: chats.length,
    messages: stored.length,
    pageViews: (await db.select().from(pageViews).where(eq(pageViews.visitorId, visitorId))).length,
  };
}

async function loginAs(server: TestServer, accountId: string, role: Role) {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
  await insertOperator(server.app.ctx.db, accountId, { email, name: role, role, passwordHash: await hashPassword('correct horse battery') });
  return (await loginOk(server.url, email, 'correct horse battery')).token;
}

describe('forget this visitor', () => {
  it('deletes the visitor with their chats, messages and page views, tells operators, and their token then yields a new visitor', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const vera = await visitorWithChat(server, op);
    const bystander = await visitorWithChat(server, op);
    expect(await rowsOf(server, vera.visitorId)).toEqual({ visitors: 1, conversations: 1, messages: 2, pageViews: 1 });
    const bystanderBefore = await rowsOf(server, bystander.visitorId);

    const removed = waitFor(op.socket, 'visitors:updated', (f) => f.removed.length > 0);
    const kicked = new Promise<string>((resolve) => vera.socket.once('disconnect', resolve));
    const res = await api(server.url, 'DELETE', `/api/visitors/${vera.visitorId}`, undefined, op.token);
    expect(res.status).toBe(204);

    // Vera's one entry in the frame is her removal: no row of hers comes back with it.
    const frame = await removed;
    expect(frame.removed).toEqual([{ visitorId: vera.visitorId, conversationIds: [vera.conversationId] }]);
    expect(frame.visitors.filter((v) => v.id === vera.visitorId)).toEqual([]);
    expect(await kicked).toBe('io server disconnect');
    expect(await rowsOf(server, vera.visitorId)).toEqual({ visitors: 0, conversations: 0, messages: 0, pageViews: 0 });
    expect(await rowsOf(server, bystander.visitorId)).toEqual(bystanderBefore);

    // Their old token (genuine, not expired) now names nobody: a brand-new visitor, with no chat.
    const again = await h.connectVisitor(server, op.account.id, vera.session.visitorToken);
    expect(again.session.visitorId).not.toBe(vera.visitorId);
    expect(again.session.chat).toBeNull();
    expect((await api(server.url, 'DELETE', `/api/visitors/${vera.visitorId}`, undefined, op.token)).status).toBe(404);
  });

  it('is for admins only: operators and supervisors get forbidden and nothing is deleted', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const vera = await visitorWithChat(server, op);
    for (const role of ['operator', 'supervisor'] as const) {
      const res = await api<ErrorBody>(server.url, 'DELETE', `/api/visitors/${vera.visitorId}`, undefined, await loginAs(server, op.account.id, role));
      expect(res.status, role).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await api(server.url, 'DELETE', `/api/visitors/${vera.visitorId}`)).status).toBe(401);
    expect(await rowsOf(server, vera.visitorId)).toEqual({ visitors: 1, conversations: 1, messages: 2, pageViews: 1 });
    expect(vera.socket.connected).toBe(true);
  });

  it("answers not_found for another account's visitor and leaves them alone", async () => {
    const server = await h.server();
    const a = await h.operator(server, { account: 'A' });
    const b = await h.operator(server, { account: 'B' });
    const vera = await visitorWithChat(server, a);
    const res = await api<ErrorBody>(server.url, 'DELETE', `/api/visitors/${vera.visitorId}`, undefined, b.token);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(await rowsOf(server, vera.visitorId)).toEqual({ visitors: 1, conversations: 1, messages: 2, pageViews: 1 });
    expect(vera.socket.connected).toBe(true);
    expect((await api<ErrorBody>(server.url, 'DELETE', '/api/visitors/not-a-uuid', undefined, a.token)).status).toBe(400);
  });
});

// Rooms shared through Redis (Q4): the visitor's widget and the operators may be on another node.
describe.runIf(process.env.DATABASE_URL)('forget this visitor with two nodes', () => {
  it("closes the visitor's widget and tells operators on the other node", async () => {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const a = await h.server({ redisUrl });
    if (a.database.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const appB = await createApp(testConfig({ databaseUrl: a.database.url, redisUrl }));
    const b: TestServer = { app: appB, url: (await appB.listen(0)).url, database: a.database, close: () => appB.close() };
    try {
      const op = await h.operator(a);
      const vera = await visitorWithChat(a, op);
      const removed = waitFor(op.socket, 'visitors:updated', (f) => f.removed.length > 0);
      const kicked = new Promise<string>((resolve) => vera.socket.once('disconnect', resolve));
      expect((await api(b.url, 'DELETE', `/api/visitors/${vera.visitorId}`, undefined, op.token)).status).toBe(204);
      expect(await kicked).toBe('io server disconnect');
      expect((await removed).removed.map((r) => r.visitorId)).toEqual([vera.visitorId]);
    } finally {
      await appB.close();
    }
  });
});
