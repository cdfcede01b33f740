import { afterEach, describe, expect, it } from 'vitest';
import type { VisitorView } from '../../shared/schemas/visitors';
import { Harness, newClientId } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

/** Account A with a visitor in a chat, account B with its own operator, on one server. */
async function twoAccounts() {
  const server = await h.server();
  const a = await h.operator(server, { account: 'A' });
  const b = await h.operator(server, { account: 'B' });
  const visitorA = await h.connectVisitor(server, a.account.id);
  await visitorA.socket.emitWithAck('page:view', { url: 'https://a.example/secret' });
  const started = await visitorA.socket.emitWithAck('chat:start', {
    clientId: newClientId(),
    name: 'Alice',
    email: 'alice@example.com',
    question: 'my secret',
  });
  if (!started.ok) throw new Error('chat:start failed');
  return { server, a, b, visitorA, conversationId: started.data.conversation.id };
}

describe('tenancy (Q2)', () => {
  it("never shows an operator another account's visitors, chats or events", async () => {
    const { a, b, visitorA, conversationId } = await twoAccounts();
    const leaked: unknown[] = [];
    for (const ev of ['visitors:updated', 'chat:requested', 'chat:updated', 'message:sent', 'typing:updated'] as const)
      b.socket.on(ev, (p: unknown) => leaked.push(p));

    await visitorA.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'more secrets' });
    await visitorA.socket.emitWithAck('typing:set', { conversationId, typing: true });
    const listA = await a.socket.emitWithAck('visitor:list', {});
    expect(listA.ok && listA.data.map((v: VisitorView) => v.id)).toEqual([visitorA.session.visitorId]);

    expect(await b.socket.emitWithAck('visitor:list', {})).toEqual({ ok: true, data: [] });
    expect(await b.socket.emitWithAck('chat:list', {})).toEqual({ ok: true, data: [] });
    await new Promise((r) => setTimeout(r, 200));
    expect(leaked).toEqual([]);
  });

  it("answers not_found when an operator reaches for another account's chat, and changes nothing", async () => {
    const { a, b, conversationId } = await twoAccounts();
    const ref = { conversationId };
    for (const res of [
      await b.socket.emitWithAck('chat:get', ref),
      await b.socket.emitWithAck('chat:accept', ref),
      await b.socket.emitWithAck('chat:close', ref),
      await b.socket.emitWithAck('chat:sync', { conversationId, afterSeq: 0 }),
      await b.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'hi from B' }),
      await b.socket.emitWithAck('typing:set', { conversationId, typing: true }),
    ]) {
      expect(res).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    const chat = await a.socket.emitWithAck('chat:get', ref);
    expect(chat.ok && chat.data.conversation).toMatchObject({ status: 'waiting', lastSeq: 1, operatorId: null });
  });

  it('keeps a visitor to their own conversation, even with a valid token of another account', async () => {
    const { server, a, b, visitorA, conversationId } = await twoAccounts();
    const other = await h.connectVisitor(server, a.account.id);
    expect(other.session.chat).toBeNull();
    for (const res of [
      await other.socket.emitWithAck('chat:sync', { conversationId, afterSeq: 0 }),
      await other.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'intruder' }),
      await other.socket.emitWithAck('chat:close', { conversationId }),
      await other.socket.emitWithAck('typing:set', { conversationId, typing: true }),
    ]) {
      expect(res).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }

    // A's token presented to account B: a new visitor of B, not Alice.
    const crossed = await h.connectVisitor(server, b.account.id, visitorA.session.visitorToken);
    expect(crossed.session.visitorId).not.toBe(visitorA.session.visitorId);
    expect(crossed.session.chat).toBeNull();

    // Alice herself, back with her token, gets her chat and history.
    const back = await h.connectVisitor(server, a.account.id, visitorA.session.visitorToken);
    expect(back.session.chat?.conversation.id).toBe(conversationId);
    expect(back.session.chat?.messages.map((m) => m.body)).toEqual(['my secret']);
  });
});
