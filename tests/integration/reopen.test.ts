/**
 * Reopening a closed chat (P5, #6): who may (its operator, a colleague of its department, a
 * supervisor or admin), the refusals (`chat_not_closed`, `visitor_in_chat`, `forbidden`), the
 * visitor's widget back in the live chat with the line "<name> reopened the chat" (live, and for a
 * visitor who had left: after a reload through session:started, or their tab's catch-up with
 * chat:sync, with what the operator wrote meanwhile), the reopener's load (their limit does not refuse it), the other
 * panels told, the archive taking the chat out and back, and the earlier rating kept until the
 * visitor rates the next close.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveSearchResult } from '../../shared/schemas/archive';
import { ok } from '../support/ack';
import { acmeWithOlivia, salesWithColin, searchArchive } from '../support/closedChats';
import { until } from '../support/cluster';
import { freshTestDatabase } from '../support/db';
import { api, Harness, newClientId, waitFor, waitForRow, type OperatorClient } from '../support/server';

const h = new Harness();
beforeAll(() => freshTestDatabase().then((d) => (d.kind === 'pglite' ? d.pglite.close() : d.drop())));
afterEach(() => h.closeAll());

/** The items of an archive search for `text`. */
const archived = async (socket: OperatorClient, text: string): Promise<ArchiveSearchResult['items']> => (await searchArchive(socket, { text })).items;

/** Olivia (admin) answers Vera's question about Mars and closes; Vera rates it good; the archive has it. */
async function closedChat() {
  const { server, a, chat } = await acmeWithOlivia(h);
  const { visitor, conversationId } = await chat({ name: 'Vera', email: 'vera@example.com', question: 'Mars?' });
  ok(await a.socket.emitWithAck('chat:close', { conversationId }));
  ok(await visitor.socket.emitWithAck('rating:set', { conversationId, score: 'good' }));
  await until(async () => (await archived(a.socket, 'mars'))[0]?.rating === 'good', 10_000, 'the chat in the archive, rated');
  return { server, a, chat, visitor, conversationId };
}

describe('reopening a closed chat (P5)', { timeout: 60_000 }, () => {
  it('makes the chat live again for the visitor and the reopener, counts it in their load past their limit, and keeps the rating', async () => {
    const { server, a, chat, visitor, conversationId } = await closedChat();
    const colin = await h.colleague(server, a.account.id, 'Colin');
    // Olivia already has a chat and a limit of one: reopening is her own choice, so it is not refused.
    await chat({ name: 'Ann', email: 'ann@example.com', question: 'Another question' });
    expect((await api(server.url, 'PATCH', `/api/routing/operators/${a.admin.id}`, { maxChats: 1 }, a.token)).status).toBe(200);

    // The chat closed, and was rated, long ago: the rating is final (the change window is over).
    await server.app.ctx.db.execute(sql`UPDATE conversations SET closed_at = now() - interval '2 days' WHERE id = ${conversationId}`);
    await server.app.ctx.db.execute(
      sql`UPDATE chat_ratings SET created_at = now() - interval '1 day', updated_at = now() - interval '1 day' WHERE conversation_id = ${conversationId}`,
    );
    expect(await visitor.socket.emitWithAck('rating:set', { conversationId, score: 'bad' })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const opened = waitFor(visitor.socket, 'chat:opened', (c) => c.conversation.id === conversationId);
    const visitorLine = waitFor(visitor.socket, 'message:sent', (m) => m.conversationId === conversationId && m.author === 'system');
    const colinSees = waitFor(colin.socket, 'chat:updated', (c) => c.id === conversationId && c.status === 'active');
    const load = waitFor(colin.socket, 'operator:updated', (o) => o.id === a.admin.id && o.load === 2);
    const view = ok(await a.socket.emitWithAck('chat:reopen', { conversationId }));
    expect(view).toMatchObject({ id: conversationId, status: 'active', operatorId: a.admin.id, operatorName: 'Olivia', closedAt: null });

    // The visitor's widget: the chat, live, with the line they see.
    const live = await opened;
    expect(live.conversation).toMatchObject({ id: conversationId, status: 'active', operatorName: 'Olivia', operatorPresent: true });
    expect(live.messages.at(-1)).toMatchObject({ author: 'system', body: 'Olivia reopened the chat' });
    expect((await visitorLine).body).toBe('Olivia reopened the chat');
    // Other panels (chat list, monitor) see it change; the load counts it.
    expect(await colinSees).toMatchObject({ operatorId: a.admin.id, status: 'active' });
    expect((await load).maxChats).toBe(1);
    // Durable like any message: the operator's history has it, numbered after the close's line.
    const history = ok(await a.socket.emitWithAck('chat:get', { conversationId })).messages;
    expect(history.slice(-2).map((m) => m.body)).toEqual(['Olivia closed the chat', 'Olivia reopened the chat']);
    expect(history.at(-1)!.seq).toBe(history.at(-2)!.seq + 1);

    // Both write again.
    const toOperator = waitFor(a.socket, 'message:sent', (m) => m.body === 'Thanks for reopening');
    ok(await visitor.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Thanks for reopening' }));
    await toOperator;
    const toVisitor = waitFor(visitor.socket, 'message:sent', (m) => m.body === 'Welcome back');
    ok(await a.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Welcome back' }));
    await toVisitor;

    // The archive no longer shows a chat that is active; the earlier rating is kept.
    await until(async () => (await archived(a.socket, 'mars')).length === 0, 10_000, 'the reopened chat to leave the archive');
    expect(ok(await a.socket.emitWithAck('rating:get', { conversationId }))).toMatchObject({ score: 'good' });
    // While it is open the visitor cannot rate it…
    expect(await visitor.socket.emitWithAck('rating:set', { conversationId, score: 'bad' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // …and once it closes again they rate this close anew (past the change window of the first).
    ok(await a.socket.emitWithAck('chat:close', { conversationId }));
    expect(ok(await visitor.socket.emitWithAck('rating:set', { conversationId, score: 'bad' }))).toMatchObject({ score: 'bad' });
    await until(async () => (await archived(a.socket, 'welcome'))[0]?.rating === 'bad', 10_000, 'the chat back in the archive, rated again');
    expect((await archived(a.socket, 'mars'))[0]).toMatchObject({ conversationId, messageCount: 3 });
  });

  it('refuses an open chat, a visitor in another chat, and an operator who neither had it nor is in its department', async () => {
    const { server, a, visitor, conversationId } = await closedChat();
    const colin = await h.colleague(server, a.account.id, 'Colin');
    // Not Colin's chat, and of no department: only its operator or a supervisor.
    expect(await colin.socket.emitWithAck('chat:reopen', { conversationId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Vera starts another chat: she has one at a time.
    const again = ok(
      await visitor.socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Me again' }),
    );
    expect(await a.socket.emitWithAck('chat:reopen', { conversationId })).toMatchObject({ ok: false, error: { code: 'visitor_in_chat' } });
    // An open chat is not reopened.
    expect(await a.socket.emitWithAck('chat:reopen', { conversationId: again.conversation.id })).toMatchObject({
      ok: false,
      error: { code: 'chat_not_closed' },
    });
    // Another account's operator does not even find it.
    const b = await h.operator(server, { account: 'Other', name: 'Bea' });
    ok(await visitor.socket.emitWithAck('chat:close', { conversationId: again.conversation.id }));
    expect(await b.socket.emitWithAck('chat:reopen', { conversationId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Reopened once, it is open: a second reopen (another panel, a double click) is refused.
    ok(await a.socket.emitWithAck('chat:reopen', { conversationId }));
    expect(await a.socket.emitWithAck('chat:reopen', { conversationId })).toMatchObject({ ok: false, error: { code: 'chat_not_closed' } });
  });

  it("lets a colleague of the chat's department reopen it, and it becomes theirs", async () => {
    const { server, a, chat } = await acmeWithOlivia(h);
    const { colin, sales } = await salesWithColin(h, server, a);
    const { conversationId } = await chat({ name: 'Vera', email: 'v@example.com', question: 'Hi', departmentId: sales.id });
    ok(await a.socket.emitWithAck('chat:close', { conversationId }));
    const view = ok(await colin.socket.emitWithAck('chat:reopen', { conversationId }));
    expect(view).toMatchObject({ status: 'active', operatorId: colin.operator.id, operatorName: 'Colin' });
  });

  it('reopens the chat of a visitor who left; back on the site, their widget shows it live', async () => {
    const { server, a, visitor, conversationId } = await closedChat();
    const token = visitor.session.visitorToken;
    visitor.socket.disconnect();
    ok(await a.socket.emitWithAck('chat:reopen', { conversationId }));
    ok(await a.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Are you still there?' }));
    // A reload (session:started) brings the reopened chat with its lines.
    const back = await h.connectVisitor(server, a.account.id, token);
    expect(back.session.chat?.conversation).toMatchObject({ id: conversationId, status: 'active', operatorName: 'Olivia' });
    expect(back.session.chat?.messages.slice(-2).map((m) => m.body)).toEqual(['Olivia reopened the chat', 'Are you still there?']);
    const toOperator = waitFor(a.socket, 'message:sent', (m) => m.body === 'Yes!');
    ok(await back.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Yes!' }));
    await toOperator;
  });

  it('reopens a chat the visitor left before it closed: the panel sees them gone, her reply waits, and their widget catches up when back', async () => {
    const { server, a, chat } = await acmeWithOlivia(h);
    const { visitor, conversationId } = await chat({ name: 'Vera', email: 'vera@example.com', question: 'Mars?' });
    const answered = ok(await a.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Yes, weekly.' }));
    await waitFor(visitor.socket, 'message:sent', (m) => m.seq === answered.seq);
    // Vera's last tab closes mid-chat (what her widget held: up to the answer); Olivia closes the chat.
    const gone = waitForRow(a.socket, (v) => v.id === visitor.session.visitorId && !v.online);
    visitor.socket.disconnect();
    await gone;
    ok(await a.socket.emitWithAck('chat:close', { conversationId }));

    // Reopening is not refused for a visitor who is away: the chat is Olivia's and active again.
    const view = ok(await a.socket.emitWithAck('chat:reopen', { conversationId }));
    expect(view).toMatchObject({ id: conversationId, status: 'active', operatorId: a.admin.id, visitorEmail: 'vera@example.com' });
    // What the panel knows of her: not online (so it says she left, with Reply by email to the address above).
    expect(ok(await a.socket.emitWithAck('visitor:list', {})).find((v) => v.id === visitor.session.visitorId)?.online ?? false).toBe(false);
    // Olivia writes all the same: acked and stored, nobody to deliver it to yet.
    const reply = ok(await a.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Still need help with Mars?' }));

    // Vera's tab comes back (her token): the session has the chat live, and the widget's catch-up
    // from what it held brings every line it missed, in order, without a gap.
    const back = await h.connectVisitor(server, a.account.id, visitor.session.visitorToken);
    expect(back.session.visitorId).toBe(visitor.session.visitorId);
    expect(back.session.chat?.conversation).toMatchObject({ id: conversationId, status: 'active', operatorName: 'Olivia' });
    const missed = ok(await back.socket.emitWithAck('chat:sync', { conversationId, afterSeq: answered.seq }));
    expect(missed.map((m) => m.body)).toEqual(['Olivia closed the chat', 'Olivia reopened the chat', 'Still need help with Mars?']);
    expect(missed.map((m) => m.seq)).toEqual([answered.seq + 1, answered.seq + 2, reply.seq]);
    const toOperator = waitFor(a.socket, 'message:sent', (m) => m.body === 'Yes, still!');
    ok(await back.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Yes, still!' }));
    await toOperator;
  });
});
