/**
 * Internal chats between operators (W3) and Respond on a whisper (W2), on one node (PGlite, or
 * PostgreSQL with DATABASE_URL): start and reopen, live delivery to every member's panel,
 * idempotent resend, catch-up after a reconnect, unread and read state, typing; who may reach
 * a chat (members only; colleagues of the account only, and enabled). And #7's rule for public
 * replies into a colleague's chat (`not_your_chat`). The leak proof is in whisper.test.ts.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../support/ack';
import { collect, Harness, newClientId, waitFor, type TestServer } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

const code = (res: { ok: boolean; error?: { code: string } }) => (res.ok ? 'ok' : res.error!.code);
/** Olivia (admin), Colin and Carla (operators) of one account. */
async function team(server: TestServer) {
  const olivia = await h.operator(server, { name: 'Olivia Admin' });
  const colin = await h.colleague(server, olivia.account.id, 'Colin Colleague');
  const carla = await h.colleague(server, olivia.account.id, 'Carla Colleague');
  return { accountId: olivia.account.id, olivia, colin, carla };
}

describe('internal chats between operators (W3)', { timeout: 60_000 }, () => {
  it('starts one chat per pair (reopened from either side), delivers live to every panel, stores a resend once, and catches up after a reconnect', async () => {
    const server = await h.server();
    const { olivia, colin } = await team(server);
    const colinUpdated = waitFor(colin.socket, 'teamchat:updated');
    const started = ok(await olivia.socket.emitWithAck('teamchat:start', { operatorId: colin.operator.id }));
    expect(started.messages).toEqual([]);
    expect(started.chat.members.map((m) => m.name)).toEqual(['Colin Colleague', 'Olivia Admin']);
    // The colleague's panel learns of the new chat.
    expect((await colinUpdated).id).toBe(started.chat.id);
    // Started again, from either side: the same chat.
    expect(ok(await olivia.socket.emitWithAck('teamchat:start', { operatorId: colin.operator.id })).chat.id).toBe(started.chat.id);
    expect(ok(await colin.socket.emitWithAck('teamchat:start', { operatorId: olivia.admin.id })).chat.id).toBe(started.chat.id);

    // A second panel of Olivia's gets her own messages too (her other window shows them).
    const oliviaTwo = await h.connectOperator(server, olivia.token);
    const teamChatId = started.chat.id;
    const atColin = collect(colin.socket, 'teamchat:sent');
    const atOliviaTwo = waitFor(oliviaTwo, 'teamchat:sent');
    const clientId = newClientId();
    const sent = ok(await olivia.socket.emitWithAck('teamchat:send', { teamChatId, clientId, body: 'Can you take the next French chat?' }));
    expect(sent).toMatchObject({ seq: 1, authorName: 'Olivia Admin', operatorId: olivia.admin.id, ref: null });
    expect((await atOliviaTwo).message.seq).toBe(1);
    await expect.poll(() => atColin.length).toBe(1);
    expect(atColin[0]!.message.body).toBe('Can you take the next French chat?');
    // Unread for Colin: the chat's last seq is past his read position; Olivia's own message is read by her.
    expect(atColin[0]!.chat.lastSeq).toBe(1);
    expect(Object.fromEntries(atColin[0]!.chat.members.map((m) => [m.name, m.readSeq]))).toEqual({ 'Colin Colleague': 0, 'Olivia Admin': 1 });

    // The same clientId again (a resend after a lost ack): the stored one, told to no one again.
    const again = ok(await olivia.socket.emitWithAck('teamchat:send', { teamChatId, clientId, body: 'Can you take the next French chat?' }));
    expect(again.seq).toBe(1);
    ok(await colin.socket.emitWithAck('teamchat:send', { teamChatId, clientId: newClientId(), body: 'Sure' }));
    await expect.poll(() => atColin.length).toBe(2);
    expect(atColin.map((e) => e.message.seq)).toEqual([1, 2]);

    // Colin's panel goes away; two messages meanwhile; back, his list and a sync catch him up.
    colin.socket.disconnect();
    for (const body of ['One more thing', 'The customer is a VIP'])
      ok(await olivia.socket.emitWithAck('teamchat:send', { teamChatId, clientId: newClientId(), body }));
    const back = await h.connectOperator(server, colin.token);
    const [mine] = ok(await back.emitWithAck('teamchat:list', {}));
    expect(mine).toMatchObject({ id: teamChatId, lastSeq: 4, preview: 'The customer is a VIP' });
    expect(mine!.members.find((m) => m.operatorId === colin.operator.id)!.readSeq).toBe(2);
    const missed = ok(await back.emitWithAck('teamchat:sync', { teamChatId, afterSeq: 2 }));
    expect(missed.map((m) => [m.seq, m.body])).toEqual([
      [3, 'One more thing'],
      [4, 'The customer is a VIP'],
    ]);
    expect(ok(await back.emitWithAck('teamchat:get', { teamChatId })).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('shows read state and typing to the other member only, and never moves a read position back or past the end', async () => {
    const server = await h.server();
    const { olivia, colin } = await team(server);
    const teamChatId = ok(await olivia.socket.emitWithAck('teamchat:start', { operatorId: colin.operator.id })).chat.id;
    for (const body of ['a', 'b', 'c']) ok(await olivia.socket.emitWithAck('teamchat:send', { teamChatId, clientId: newClientId(), body }));

    const seenByOlivia = waitFor(olivia.socket, 'teamchat:updated', (c) => c.members.some((m) => m.operatorId === colin.operator.id && m.readSeq === 2));
    const read = ok(await colin.socket.emitWithAck('teamchat:read', { teamChatId, seq: 2 }));
    expect(read.members.find((m) => m.operatorId === colin.operator.id)!.readSeq).toBe(2);
    await seenByOlivia;
    // Back (an older panel) and beyond the last message: neither moves it wrongly.
    ok(await colin.socket.emitWithAck('teamchat:read', { teamChatId, seq: 1 }));
    const past = ok(await colin.socket.emitWithAck('teamchat:read', { teamChatId, seq: 99 }));
    expect(past.members.find((m) => m.operatorId === colin.operator.id)!.readSeq).toBe(3);

    const ownTyping = collect(olivia.socket, 'teamchat:typed');
    const typing = waitFor(colin.socket, 'teamchat:typed');
    ok(await olivia.socket.emitWithAck('teamchat:type', { teamChatId, typing: true }));
    expect(await typing).toEqual({ teamChatId, operatorId: olivia.admin.id, name: 'Olivia Admin', typing: true });
    ok(await colin.socket.emitWithAck('teamchat:read', { teamChatId, seq: 3 })); // a round trip: anything sent is in
    expect(ownTyping).toEqual([]);
  });

  it('is reached by its members only; colleagues only of the same account, enabled, and not oneself', async () => {
    const server = await h.server();
    const { accountId, olivia, colin, carla } = await team(server);
    const teamChatId = ok(await olivia.socket.emitWithAck('teamchat:start', { operatorId: colin.operator.id })).chat.id;
    ok(await olivia.socket.emitWithAck('teamchat:send', { teamChatId, clientId: newClientId(), body: 'between us' }));
    const carlaHears = collect(carla.socket, 'teamchat:sent');

    // Carla is of the account but not in the chat: it does not exist for her.
    for (const res of [
      await carla.socket.emitWithAck('teamchat:get', { teamChatId }),
      await carla.socket.emitWithAck('teamchat:send', { teamChatId, clientId: newClientId(), body: 'let me in' }),
      await carla.socket.emitWithAck('teamchat:sync', { teamChatId, afterSeq: 0 }),
      await carla.socket.emitWithAck('teamchat:read', { teamChatId, seq: 1 }),
      await carla.socket.emitWithAck('teamchat:type', { teamChatId, typing: true }),
    ])
      expect(code(res)).toBe('not_found');
    expect(ok(await carla.socket.emitWithAck('teamchat:list', {}))).toEqual([]);

    // Another account's operator: neither the chat nor the people exist.
    const other = await h.operator(server, { account: 'Other' });
    expect(code(await other.socket.emitWithAck('teamchat:get', { teamChatId }))).toBe('not_found');
    expect(code(await other.socket.emitWithAck('teamchat:start', { operatorId: colin.operator.id }))).toBe('not_found');
    expect(code(await colin.socket.emitWithAck('teamchat:start', { operatorId: other.admin.id }))).toBe('not_found');

    expect(code(await olivia.socket.emitWithAck('teamchat:start', { operatorId: olivia.admin.id }))).toBe('validation_failed');
    await server.app.ctx.db.execute(sql`UPDATE operators SET status = 'disabled' WHERE id = ${carla.operator.id} AND account_id = ${accountId}`);
    expect(code(await olivia.socket.emitWithAck('teamchat:start', { operatorId: carla.operator.id }))).toBe('forbidden');

    const history = ok(await colin.socket.emitWithAck('teamchat:get', { teamChatId }));
    expect(history.messages.map((m) => m.body)).toEqual(['between us']);
    expect(carlaHears).toEqual([]);
  });
});

describe('Respond on a whisper (W2), and public replies into a colleague’s chat (#7)', { timeout: 60_000 }, () => {
  it('opens the chat with the whisperer, quotes the whisper with a link back to the visitor chat, seen by both', async () => {
    const server = await h.server();
    const { accountId, olivia, colin } = await team(server);
    const visitor = await h.connectVisitor(server, accountId);
    const started = ok(
      await visitor.socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Refund?' }),
    );
    const conversationId = started.conversation.id;
    ok(await colin.socket.emitWithAck('chat:accept', { conversationId }));
    const whisper = ok(await olivia.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Offer 10% off', internal: true }));
    const visitorHeard = collect(visitor.socket, 'message:sent');

    const atOlivia = waitFor(olivia.socket, 'teamchat:sent');
    const clientId = newClientId();
    const opened = ok(await colin.socket.emitWithAck('teamchat:respond', { conversationId, seq: whisper.seq, clientId }));
    expect(opened.chat.members.map((m) => m.operatorId).sort()).toEqual([olivia.admin.id, colin.operator.id].sort());
    const ref = { conversationId, seq: whisper.seq, visitorName: 'Vera', authorName: 'Olivia Admin', quote: 'Offer 10% off' };
    expect(opened.messages).toEqual([expect.objectContaining({ seq: 1, clientId, authorName: 'Colin Colleague', body: '', ref })]);
    // The whisperer sees the same quote and link.
    expect((await atOlivia).message.ref).toEqual(ref);
    // Respond again with the same clientId (a resend): nothing new. Another Respond: the same chat, a second quote.
    expect(ok(await colin.socket.emitWithAck('teamchat:respond', { conversationId, seq: whisper.seq, clientId })).messages).toHaveLength(1);
    const second = ok(await colin.socket.emitWithAck('teamchat:respond', { conversationId, seq: whisper.seq, clientId: newClientId() }));
    expect([second.chat.id, second.messages.length]).toEqual([opened.chat.id, 2]);
    // And the chat started from the team list is that one too.
    expect(ok(await olivia.socket.emitWithAck('teamchat:start', { operatorId: colin.operator.id })).chat.id).toBe(opened.chat.id);

    // Not a whisper (the visitor's question, seq 1), one's own whisper, or another account's chat.
    expect(code(await colin.socket.emitWithAck('teamchat:respond', { conversationId, seq: 1, clientId: newClientId() }))).toBe('not_found');
    expect(code(await olivia.socket.emitWithAck('teamchat:respond', { conversationId, seq: whisper.seq, clientId: newClientId() }))).toBe('validation_failed');
    const other = await h.operator(server, { account: 'Other' });
    expect(code(await other.socket.emitWithAck('teamchat:respond', { conversationId, seq: whisper.seq, clientId: newClientId() }))).toBe('not_found');

    ok(await visitor.socket.emitWithAck('chat:sync', { conversationId, afterSeq: 0 }));
    expect(visitorHeard).toEqual([]);
  });

  it('refuses a public reply from anyone but the assigned operator (not_your_chat), allows their whispers, and moves the right with a take over', async () => {
    const server = await h.server();
    const { accountId, olivia, colin, carla } = await team(server);
    const visitor = await h.connectVisitor(server, accountId);
    const started = ok(await visitor.socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Hi' }));
    const conversationId = started.conversation.id;
    ok(await colin.socket.emitWithAck('chat:accept', { conversationId }));
    ok(await olivia.socket.emitWithAck('chat:watch', { conversationId }));
    const heard = collect(visitor.socket, 'message:sent');

    const reply = (by: typeof colin.socket, body: string, internal = false) =>
      by.emitWithAck('message:send', { conversationId, clientId: newClientId(), body, ...(internal ? { internal } : {}) });
    expect(code(await reply(olivia.socket, 'I am the admin'))).toBe('not_your_chat');
    expect(code(await reply(carla.socket, 'me too'))).toBe('not_your_chat');
    expect(code(await reply(olivia.socket, 'a whisper is fine', true))).toBe('ok');
    expect(code(await reply(colin.socket, 'the operator answers'))).toBe('ok');

    ok(await olivia.socket.emitWithAck('chat:takeover', { conversationId }));
    expect(code(await reply(olivia.socket, 'now I answer'))).toBe('ok');
    expect(code(await reply(colin.socket, 'not mine any more'))).toBe('not_your_chat');
    await expect.poll(() => heard.map((m) => m.body).filter((b) => b !== '')).toEqual(expect.arrayContaining(['the operator answers', 'now I answer']));
    const history = ok(await visitor.socket.emitWithAck('chat:sync', { conversationId, afterSeq: 0 }));
    expect(history.filter((m) => m.author === 'operator').map((m) => m.body)).toEqual(['the operator answers', 'now I answer']);
  });
});
