/**
 * The after-commit event bus (#5): a feature hears another's events only once the change is
 * durable, and a failing listener fails neither the command nor the other listeners.
 */
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { conversations } from '../../server/src/db/schema/index';
import { Harness, newClientId } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

describe('events (#5)', () => {
  it('publishes chat and message events after commit, to every listener, whatever one of them throws', async () => {
    const server = await h.server();
    const { ctx } = server.app;
    const op = await h.operator(server);
    const seen: string[] = [];
    const statusAtClose: string[] = [];
    ctx.events.on('chat.started', () => {
      throw new Error('a broken listener');
    });
    ctx.events.on('chat.started', (e) => void seen.push(`started ${e.visitorId}`));
    ctx.events.on('chat.accepted', (e) => void seen.push(`accepted ${e.operatorId}`));
    ctx.events.on('message.stored', (e) => void seen.push(`stored ${e.seq} ${e.author} ${e.visibility}`));
    ctx.events.on('chat.closed', async (e) => {
      // What the listener reads is already committed.
      const [row] = await ctx.db.select().from(conversations).where(eq(conversations.id, e.conversationId));
      statusAtClose.push(`${row?.status} by ${e.by}`);
    });

    const visitor = await h.connectVisitor(server, op.account.id);
    const started = await visitor.socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vi', email: 'vi@example.com', question: 'hello' });
    if (!started.ok) throw new Error('chat:start failed');
    const conversationId = started.data.conversation.id;
    expect((await op.socket.emitWithAck('chat:accept', { conversationId })).ok).toBe(true);
    const clientId = newClientId();
    expect((await visitor.socket.emitWithAck('message:send', { conversationId, clientId, body: 'one' })).ok).toBe(true);
    // A resend stores nothing, so it publishes nothing.
    expect((await visitor.socket.emitWithAck('message:send', { conversationId, clientId, body: 'one' })).ok).toBe(true);
    expect((await visitor.socket.emitWithAck('chat:close', { conversationId })).ok).toBe(true);
    await expect.poll(() => statusAtClose).toEqual(['closed by visitor']);
    expect(seen).toEqual([`started ${visitor.session.visitorId}`, `accepted ${op.admin.id}`, 'stored 3 visitor public']);
  });
});
