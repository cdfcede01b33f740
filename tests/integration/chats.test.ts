import { afterEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { messages } from '../../server/src/db/schema/index';
import type { JsonArgument } from '../../server/src/db/json';
import { MessageWriter } from '../../server/src/features/chats/messageWriter';
import type { VisitorView } from '../../shared/schemas/visitors';
import { visitorState } from '../../shared/visitorState';
import { ok } from '../support/ack';
import { collect, collectRows, Harness, loginOk, newClientId, waitFor, type OperatorClient, type TestServer, type VisitorClient } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

/** Server + operator + a visitor who started a chat the operator accepted. */
async function activeChat(server?: TestServer) {
  server ??= await h.server();
  const op = await h.operator(server, { name: 'Olivia' });
  const { socket: visitor, session } = await h.connectVisitor(server, op.account.id);
  const started = ok(
    await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Do you ship to Mars?' }),
  );
  const conversationId = started.conversation.id;
  ok(await op.socket.emitWithAck('chat:accept', { conversationId }));
  return { server, op, visitor, session, conversationId };
}

describe('a chat from start to close', () => {
  it('starts waiting with the question as seq 1 and tells the operators', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const { socket: visitor } = await h.connectVisitor(server, op.account.id);
    const requested = waitFor(op.socket, 'chat:requested');

    const res = ok(await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Hello?' }));
    // The visitor gets their own view of it (#4); operators get the whole conversation.
    expect(res.conversation).toEqual({
      id: expect.any(String),
      status: 'waiting',
      operatorName: null,
      operatorPresent: false,
      lastSeq: 1,
      departmentId: null,
      seen: 0,
    });
    expect(res.messages).toEqual([expect.objectContaining({ seq: 1, author: 'visitor', authorName: 'Vera', body: 'Hello?' })]);
    expect(await requested).toMatchObject({
      id: res.conversation.id,
      visitorName: 'Vera',
      visitorEmail: 'vera@example.com',
      lastSeq: 1,
      lastAuthor: 'visitor',
      preview: 'Hello?',
    });

    const list = ok(await op.socket.emitWithAck('chat:list', {}));
    expect(list.map((c) => c.id)).toEqual([res.conversation.id]);
  });

  it('keeps a chat started while nobody is online waiting, with the visitor’s email, for the first operator who signs in (#5)', async () => {
    const server = await h.server();
    const { account, email, password } = await h.account(server);
    const { socket: visitor, session } = await h.connectVisitor(server, account.id);
    expect(session.operatorsAvailable).toBe(false);
    const res = ok(
      await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Do you ship to Mars?' }),
    );
    visitor.disconnect();

    const op = await h.connectOperator(server, (await loginOk(server.url, email, password)).token);
    const list = ok(await op.emitWithAck('chat:list', {}));
    expect(list).toEqual([
      expect.objectContaining({
        id: res.conversation.id,
        status: 'waiting',
        visitorName: 'Vera',
        visitorEmail: 'vera@example.com',
        preview: 'Do you ship to Mars?',
      }),
    ]);
  });

  it('returns the open conversation again on a repeated chat:start instead of creating another', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const { socket: visitor } = await h.connectVisitor(server, op.account.id);
    const payload = { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Hello?' };
    const first = ok(await visitor.emitWithAck('chat:start', payload));
    const again = ok(await visitor.emitWithAck('chat:start', payload));
    const other = ok(await visitor.emitWithAck('chat:start', { ...payload, clientId: newClientId() }));
    expect(again.conversation.id).toBe(first.conversation.id);
    expect(other.conversation.id).toBe(first.conversation.id);
    expect(other.messages).toHaveLength(1);
  });

  it('accept adds a system note, tells both sides, and only works once', async () => {
    const server = await h.server();
    const op = await h.operator(server, { name: 'Olivia' });
    const { socket: visitor } = await h.connectVisitor(server, op.account.id);
    const started = ok(await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'v@example.com', question: 'Hi' }));
    const conversationId = started.conversation.id;
    const visitorSees = waitFor(visitor, 'chat:updated', (c) => c.status === 'active');
    const note = waitFor(visitor, 'message:sent', (m) => m.author === 'system');

    const accepted = ok(await op.socket.emitWithAck('chat:accept', { conversationId }));
    expect(accepted).toMatchObject({ status: 'active', operatorId: op.admin.id, operatorName: 'Olivia', lastSeq: 2 });
    expect((await visitorSees).operatorName).toBe('Olivia');
    expect(await note).toMatchObject({ seq: 2, body: 'Olivia joined the chat' });

    const twice = await op.socket.emitWithAck('chat:accept', { conversationId });
    expect(twice).toMatchObject({ ok: false, error: { code: 'conflict', message: 'You have this chat already.' } });
  });

  it('exchanges messages both ways in real time', async () => {
    const { op, visitor, conversationId } = await activeChat();
    const atOperator = waitFor(op.socket, 'message:sent', (m) => m.body === 'from visitor');
    const sent = ok(await visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'from visitor' }));
    expect(sent).toMatchObject({ seq: 3, author: 'visitor', authorName: 'Vera' });
    expect(await atOperator).toEqual(sent);

    const atVisitor = waitFor(visitor, 'message:sent', (m) => m.body === 'from operator');
    const reply = ok(await op.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'from operator' }));
    expect(reply).toMatchObject({ seq: 4, author: 'operator', authorName: 'Olivia' });
    expect(await atVisitor).toEqual(reply);
  });

  it('relays typing to the other side without storing it', async () => {
    const { op, visitor, conversationId } = await activeChat();
    const atOperator = waitFor(op.socket, 'typing:updated');
    ok(await visitor.emitWithAck('typing:set', { conversationId, typing: true }));
    expect(await atOperator).toEqual({ conversationId, author: 'visitor', name: 'Vera', typing: true });
    const atVisitor = waitFor(visitor, 'typing:updated');
    ok(await op.socket.emitWithAck('typing:set', { conversationId, typing: true }));
    expect(await atVisitor).toEqual({ conversationId, author: 'operator', name: 'Olivia', typing: true });
  });

  it('closing refuses further messages with chat_closed, but a resend of a stored one still answers', async () => {
    const { op, visitor, conversationId } = await activeChat();
    const clientId = newClientId();
    const before = ok(await visitor.emitWithAck('message:send', { conversationId, clientId, body: 'bye' }));
    const visitorSees = waitFor(visitor, 'chat:updated', (c) => c.status === 'closed');
    const closed = ok(await op.socket.emitWithAck('chat:close', { conversationId }));
    expect(closed.status).toBe('closed');
    await visitorSees;

    for (const socket of [visitor, op.socket] as (VisitorClient | OperatorClient)[]) {
      const res = await (socket as VisitorClient).emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'late' });
      expect(res).toMatchObject({ ok: false, error: { code: 'chat_closed' } });
    }
    expect(ok(await visitor.emitWithAck('message:send', { conversationId, clientId, body: 'bye' }))).toEqual(before);
    // Closing again changes nothing (no second "closed the chat" message).
    expect(ok(await visitor.emitWithAck('chat:close', { conversationId }))).toMatchObject({ status: 'closed', lastSeq: closed.lastSeq });
  });
});

describe('message durability (Q1)', () => {
  it('keeps seqs gap-free and in order under concurrent sends from both sides, and everyone receives them in order', async () => {
    const { server, op, visitor, conversationId } = await activeChat();
    const second = await h.connectOperator(server, op.token);
    const streams = [collect(op.socket, 'message:sent'), collect(second, 'message:sent'), collect(visitor, 'message:sent')];

    const n = 40;
    const sends = Array.from({ length: n }, (_, i) =>
      i % 2 === 0
        ? visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: `v${i}` })
        : op.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: `o${i}` }),
    );
    const acked = (await Promise.all(sends)).map((res) => ok(res));
    const seqs = acked.map((m) => m.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: n }, (_, i) => i + 3)); // 1 question, 2 "joined"

    await expect.poll(() => streams.map((s) => s.length)).toEqual([n, n, n]);
    for (const stream of streams) expect(stream.map((m) => m.seq)).toEqual(seqs);
    const stored = await server.app.ctx.db.select({ seq: messages.seq }).from(messages).where(eq(messages.conversationId, conversationId));
    expect(stored.map((r) => r.seq).sort((a, b) => a - b)).toEqual([1, 2, ...seqs]);
  });

  it('stores a message sent 3 times with one clientId once, also across a reconnect', async () => {
    const { server, op, visitor, session, conversationId } = await activeChat();
    const received = collect(op.socket, 'message:sent');
    const payload = { conversationId, clientId: newClientId(), body: 'only once' };
    const [a, b] = (await Promise.all([visitor.emitWithAck('message:send', payload), visitor.emitWithAck('message:send', payload)])).map((res) => ok(res));
    visitor.disconnect();
    const { socket: again } = await h.connectVisitor(server, op.account.id, session.visitorToken);
    const c = ok(await again.emitWithAck('message:send', payload));

    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const rows = await server.app.ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.clientId, payload.clientId)));
    expect(rows).toHaveLength(1);
    const last = ok(await op.socket.emitWithAck('chat:get', { conversationId }));
    expect(last.conversation.lastSeq).toBe(a!.seq);
    await new Promise((r) => setTimeout(r, 100));
    expect(received.filter((m) => m.clientId === payload.clientId)).toHaveLength(1);
  });

  it('lets an operator catch up after a reconnect with chat:sync: exactly the missed messages, in order', async () => {
    const { server, op, visitor, conversationId } = await activeChat();
    const seen = ok(await op.socket.emitWithAck('chat:get', { conversationId }));
    const afterSeq = seen.conversation.lastSeq;
    op.socket.disconnect();

    const bodies = ['one', 'two', 'three', 'four', 'five'];
    for (const body of bodies) ok(await visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body }));

    const back = await h.connectOperator(server, op.token);
    const missed = ok(await back.emitWithAck('chat:sync', { conversationId, afterSeq }));
    expect(missed.map((m) => m.body)).toEqual(bodies);
    expect(missed.map((m) => m.seq)).toEqual([afterSeq + 1, afterSeq + 2, afterSeq + 3, afterSeq + 4, afterSeq + 5]);
    expect(ok(await back.emitWithAck('chat:sync', { conversationId, afterSeq: afterSeq + 5 }))).toEqual([]);
  });

  it('commits concurrent sends in fewer transactions than messages, and acks only after commit', async () => {
    const { server, op, visitor, conversationId } = await activeChat();
    const { writer, db } = server.app.ctx;
    const before = { ...writer.stats };
    const n = 60;
    const checks = Array.from({ length: n }, async (_, i) => {
      const socket = (i % 2 ? op.socket : visitor) as VisitorClient;
      const clientId = newClientId();
      const res = await socket.emitWithAck('message:send', { conversationId, clientId, body: `m${i}` });
      // Acked → committed: a fresh query already sees the row.
      const rows = await db
        .select({ seq: messages.seq })
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), eq(messages.clientId, clientId)));
      return { seq: ok(res).seq, stored: rows[0]?.seq };
    });
    for (const { seq, stored } of await Promise.all(checks)) expect(stored).toBe(seq);
    const transactions = writer.stats.transactions - before.transactions;
    expect(writer.stats.messages - before.messages).toBe(n);
    expect(transactions).toBeLessThan(n);
    expect(transactions).toBeGreaterThan(0);
  });

  it('acks a message only once its statement has committed', async () => {
    const { server, visitor, conversationId } = await activeChat();
    const { database } = server.app;
    const realCall = database.callJson;
    const events: string[] = [];
    // The writer's batch is one autocommit statement: hold every result back for 100 ms after
    // it committed and note when that was.
    database.callJson = async (fn, json) => {
      const rows = await realCall(fn, json);
      await new Promise((r) => setTimeout(r, 100));
      events.push('commit');
      return rows as never;
    };
    try {
      const res = await visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'slow disk' });
      events.push('ack');
      expect(res.ok).toBe(true);
    } finally {
      database.callJson = realCall;
    }
    expect(events).toEqual(['commit', 'ack']);
  });

  it('fails every message of a failed batch with internal_error and stores none of them', async () => {
    const { server, visitor, conversationId } = await activeChat();
    const { writer, db } = server.app.ctx;
    const { database } = server.app;
    const realCall = database.callJson;
    database.callJson = () => Promise.reject(new Error('disk on fire'));
    const log = server.app.ctx.log.error;
    server.app.ctx.log.error = () => {};
    try {
      const results = await Promise.all(
        [1, 2, 3].map((i) => visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: `lost ${i}` })),
      );
      for (const r of results) expect(r).toMatchObject({ ok: false, error: { code: 'internal_error' } });
      expect(writer.stats.failedBatches).toBeGreaterThan(0);
    } finally {
      database.callJson = realCall;
      server.app.ctx.log.error = log;
    }
    const rows = await db.select().from(messages).where(eq(messages.conversationId, conversationId));
    expect(rows.map((r) => r.body).filter((b) => b.startsWith('lost'))).toEqual([]);
    // The next send continues gap-free.
    expect(ok(await visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'after' })).seq).toBe(3);
  });
});

describe('appendMessages', () => {
  it('stays gap-free when one batch mixes new messages, resends of stored ones and a refused one', async () => {
    const { server, visitor, conversationId, op } = await activeChat();
    const first = ok(await visitor.emitWithAck('message:send', { conversationId, clientId: 'kept-0001', body: 'first' }));
    const { writer } = server.app.ctx;
    const base = { accountId: op.account.id, conversationId, author: 'visitor' as const };
    const tx0 = writer.stats.transactions;
    const results = await Promise.allSettled([
      writer.write({ ...base, clientId: 'new-aaaa', body: 'a' }),
      writer.write({ ...base, clientId: 'kept-0001', body: 'first' }),
      writer.write({ ...base, clientId: 'new-bbbb', body: 'b' }),
      writer.write({ ...base, clientId: 'bad-bad-bad', body: 'x', visitorId: '00000000-0000-4000-8000-000000000000' }),
      writer.write({ ...base, clientId: 'new-aaaa', body: 'a' }),
      writer.write({ ...base, accountId: '00000000-0000-4000-8000-000000000001', clientId: 'other-account', body: 'not yours' }),
    ]);
    expect(writer.stats.transactions).toBe(tx0 + 1);
    const values = results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason));
    expect(values[0]).toMatchObject({ duplicate: false, message: { seq: first.seq + 1, clientId: 'new-aaaa' } });
    expect(values[1]).toMatchObject({ duplicate: true, message: { seq: first.seq, clientId: 'kept-0001' } });
    expect(values[2]).toMatchObject({ duplicate: false, message: { seq: first.seq + 2, clientId: 'new-bbbb' }, conversation: { lastSeq: first.seq + 2 } });
    expect(values[3]).toMatchObject({ code: 'not_found' });
    expect(values[4]).toMatchObject({ duplicate: true, message: { seq: first.seq + 1 } });
    expect(values[5]).toMatchObject({ code: 'not_found' });
    // The refused ones left no trace on the conversation either.
    expect(values[2]).toMatchObject({ conversation: { preview: 'b', lastAuthor: 'visitor' } });
    const rows = await server.app.ctx.db.select().from(messages).where(eq(messages.conversationId, conversationId));
    expect(rows.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: first.seq + 2 }, (_, i) => i + 1));
    const next = ok(await visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'after' }));
    expect(next.seq).toBe(first.seq + 3);
  });
});

describe('text PostgreSQL cannot store', () => {
  it('stores a message with NUL characters and a lone surrogate cleaned, and its batch neighbours untouched', async () => {
    const { op, visitor, conversationId } = await activeChat();
    const [bad, good] = await Promise.all([
      visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'a\u0000b\ud800c' }),
      op.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'neighbour' }),
    ]);
    expect(ok(bad).body).toBe('ab\ufffdc');
    expect(ok(good).body).toBe('neighbour');
  });
});

describe('MessageWriter', () => {
  it('commits batches of other conversations while one is stalled, and keeps each conversation in arrival order', async () => {
    const first = await activeChat();
    const second = await activeChat(first.server);
    const { log } = first.server.app.ctx;
    const stalled = first.conversationId;
    let stalledStatements = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    // A database whose statements touching the first conversation wait for the gate (a slow fsync, say).
    const { database } = first.server.app;
    const slowDatabase = {
      async callJson<R>(fn: string, json: JsonArgument): Promise<R[]> {
        const touchesStalled = json.includes(stalled);
        if (touchesStalled) stalledStatements++;
        const rows = await database.callJson<R>(fn, json);
        if (touchesStalled) await gate;
        return rows;
      },
    };
    const writer = new MessageWriter(slowDatabase, log, { maxInFlight: 2 });
    const send = (chat: typeof first, body: string) =>
      writer.write({
        accountId: chat.op.account.id,
        conversationId: chat.conversationId,
        clientId: newClientId(),
        author: 'visitor',
        visitorId: chat.session.visitorId,
        body,
      });

    const events: string[] = [];
    const a1 = send(first, 'a1').then((r) => (events.push('a1'), r));
    await new Promise((r) => setImmediate(r)); // a1's batch is in flight
    const a2 = send(first, 'a2').then((r) => (events.push('a2'), r));
    const b1 = send(second, 'b1').then((r) => (events.push('b1'), r));
    expect((await b1).message.seq).toBe(3);
    expect(events).toEqual(['b1']);
    // a2 waits for a1's batch instead of racing it on another connection.
    expect(stalledStatements).toBe(1);
    release();
    const [r1, r2] = await Promise.all([a1, a2]);
    expect([r1.message.seq, r2.message.seq]).toEqual([3, 4]);
    expect(events).toEqual(['b1', 'a1', 'a2']);
    expect(writer.stats.transactions).toBe(3);
    await writer.close();
  });
});

describe('visitor colour states through a chat', () => {
  it('goes browsing → waiting → needs_reply → replied → needs_reply → chatted, derivable from chat:updated alone', async () => {
    const server = await h.server();
    const op = await h.operator(server, { name: 'Olivia' });
    // A colleague who doesn't follow the chat sees it through chat:updated alone.
    const colleague = await h.colleague(server, op.account.id);
    const { socket: visitor, session } = await h.connectVisitor(server, op.account.id);
    const stateOf = async () => ok(await op.socket.emitWithAck('visitor:list', {})).find((v) => v.id === session.visitorId)?.state;
    const rowUpdates = collectRows(colleague.socket);
    // What the extension's grid does: the colour from the latest chat:updated (#3).
    const update = (state: VisitorView['state']) =>
      waitFor(colleague.socket, 'chat:updated', (c) => visitorState({ status: c.status, lastAuthor: c.lastAuthor, hasChattedBefore: true }) === state);

    expect(await stateOf()).toBe('browsing');
    let next = update('waiting');
    const { conversation } = ok(await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'v@example.com', question: 'Hi' }));
    await next;
    expect(await stateOf()).toBe('waiting');
    const conversationId = conversation.id;

    next = update('needs_reply');
    ok(await op.socket.emitWithAck('chat:accept', { conversationId }));
    await next;
    expect(await stateOf()).toBe('needs_reply');
    // Grid rows go out in frames up to 100 ms apart (#4): the accept's row may still be on its way.
    const frameGap = () => new Promise((r) => setTimeout(r, 300));
    await frameGap();
    const rowsBeforeMessages = rowUpdates.length;

    next = update('replied');
    ok(await op.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Hello Vera' }));
    await next;
    expect(await stateOf()).toBe('replied');

    next = update('needs_reply');
    ok(await visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Thanks' }));
    await next;
    expect(await stateOf()).toBe('needs_reply');
    // Messages don't send whole visitor rows: the colour follows chat:updated (a frame would have come by now).
    await frameGap();
    expect(rowUpdates.length).toBe(rowsBeforeMessages);

    next = update('chatted');
    ok(await visitor.emitWithAck('chat:close', { conversationId }));
    await next;
    expect(await stateOf()).toBe('chatted');
  });
});

describe('fan-out by conversation (#3)', () => {
  it('sends message:sent (and no chat:updated) to the assigned operator on every socket, and only chat:updated to a colleague who is not watching', async () => {
    const { server, op, visitor, conversationId } = await activeChat();
    const secondTab = await h.connectOperator(server, op.token);
    const colleague = await h.colleague(server, op.account.id);
    const colleagueMessages = collect(colleague.socket, 'message:sent');
    const colleagueUpdates = collect(colleague.socket, 'chat:updated');
    const followerUpdates = [collect(op.socket, 'chat:updated'), collect(secondTab, 'chat:updated')];
    const atFirst = waitFor(op.socket, 'message:sent', (m) => m.body === 'to Olivia');
    const atSecond = waitFor(secondTab, 'message:sent', (m) => m.body === 'to Olivia');
    const atColleague = waitFor(colleague.socket, 'chat:updated', (c) => c.id === conversationId && c.preview === 'to Olivia');

    const sent = ok(await visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'to Olivia' }));
    expect(await atFirst).toEqual(sent);
    expect(await atSecond).toEqual(sent);
    await atColleague;
    expect(colleagueUpdates.at(-1)).toMatchObject({ lastSeq: sent.seq, lastAuthor: 'visitor', preview: 'to Olivia' });
    // A round trip later, still no message:sent for the colleague.
    ok(await colleague.socket.emitWithAck('chat:list', {}));
    expect(colleagueMessages).toEqual([]);
    // One event per socket per message: message:sent already says what chat:updated would.
    ok(await op.socket.emitWithAck('chat:list', {}));
    ok(await secondTab.emitWithAck('chat:list', {}));
    expect(followerUpdates.flat()).toEqual([]);
  });

  it('lets a colleague who opened the chat (chat:get) follow it live, and one who synced it too', async () => {
    const { server, op, conversationId } = await activeChat();
    const viewer = await h.colleague(server, op.account.id, 'Vic Viewer');
    const syncer = await h.colleague(server, op.account.id, 'Sam Syncer');
    ok(await viewer.socket.emitWithAck('chat:get', { conversationId }));
    ok(await syncer.socket.emitWithAck('chat:sync', { conversationId, afterSeq: 0 }));
    const atViewer = waitFor(viewer.socket, 'message:sent', (m) => m.body === 'watched');
    const atSyncer = waitFor(syncer.socket, 'message:sent', (m) => m.body === 'watched');
    const sent = ok(await op.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'watched' }));
    expect(await atViewer).toEqual(sent);
    expect(await atSyncer).toEqual(sent);
  });

  it('lets a panel that opened a waiting chat see its messages before anyone accepts it', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const colleague = await h.colleague(server, op.account.id);
    const { socket: visitor } = await h.connectVisitor(server, op.account.id);
    const { conversation } = ok(await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'v@example.com', question: 'Hi' }));
    const notWatching = collect(colleague.socket, 'message:sent');
    ok(await op.socket.emitWithAck('chat:get', { conversationId: conversation.id }));
    const atViewer = waitFor(op.socket, 'message:sent', (m) => m.body === 'anyone there?');
    ok(await visitor.emitWithAck('message:send', { conversationId: conversation.id, clientId: newClientId(), body: 'anyone there?' }));
    expect((await atViewer).seq).toBe(2);
    ok(await colleague.socket.emitWithAck('chat:list', {}));
    expect(notWatching).toEqual([]);
  });

  it('does not let an operator of another account watch a conversation by its id', async () => {
    const { server, visitor, conversationId } = await activeChat();
    const stranger = await h.operator(server, { account: 'Other' });
    const leaked = collect(stranger.socket, 'message:sent');
    expect(await stranger.socket.emitWithAck('chat:get', { conversationId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await stranger.socket.emitWithAck('chat:sync', { conversationId, afterSeq: 0 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    ok(await visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'private' }));
    ok(await stranger.socket.emitWithAck('chat:list', {}));
    expect(leaked).toEqual([]);
  });
});
