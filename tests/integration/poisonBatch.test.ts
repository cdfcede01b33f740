/**
 * #4 §1: one message must never fail the group-commit batch it travels in. A message the database
 * refuses is refused alone, with a permanent code; its batch neighbours (other visitors, other
 * operators, other accounts) are stored; a failure that isn't the message's stays internal_error.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonArgument } from '../../server/src/db/json';
import { messages } from '../../server/src/db/schema/index';
import { MessageWriter } from '../../server/src/features/chats/messageWriter';
import type { NewMessage } from '../../server/src/features/chats/repo';
import type { Ack } from '../../shared/errors';
import type { MessageView } from '../../shared/schemas/chats';
import { ok } from '../support/ack';
import { Harness, newClientId, type TestServer } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

/** The message of the issue: the old preview cut (139 UTF-16 units) fell inside the emoji. */
const SPLIT_AT_PREVIEW = 'a'.repeat(138) + '😀' + 'tail';

/** An account with its operator, and a visitor whose chat that operator accepted. */
async function activeChat(server: TestServer, account?: Awaited<ReturnType<Harness['operator']>>) {
  const op = account ?? (await h.operator(server, { name: 'Olivia' }));
  const { socket: visitor, session } = await h.connectVisitor(server, op.account.id);
  const started = ok(await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Hello?' }));
  const conversationId = started.conversation.id;
  ok(await op.socket.emitWithAck('chat:accept', { conversationId }));
  return { op, visitor, session, conversationId };
}

/**
 * Makes the database itself refuse (check_violation, SQLSTATE 23514) every message whose body
 * contains `marker`: the isolation is then proved against the real statement, whatever input the
 * service lets through.
 */
async function refuseMarkedMessages(server: TestServer, marker: string): Promise<void> {
  const { db } = server.app.ctx;
  await db.execute(
    sql.raw(`CREATE FUNCTION test_refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF position('${marker}' in NEW.body) > 0 THEN
          RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $fn$`),
  );
  await db.execute(sql.raw('CREATE TRIGGER test_refuse_marked BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION test_refuse_marked()'));
}

/** Quiets the server's log for a test that makes it complain on purpose. */
function quiet(server: TestServer) {
  const { log } = server.app.ctx;
  const saved = { warn: log.warn, error: log.error };
  log.warn = () => {};
  log.error = () => {};
  return () => Object.assign(log, saved);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a message that used to poison its batch (#4)', () => {
  it('acks every innocent send while one visitor floods a message whose preview cut split an emoji', async () => {
    const server = await h.server();
    const a = await activeChat(server);
    const poisoner = await activeChat(server, a.op);
    const other = await activeChat(server); // an unrelated visitor of another account

    // The poisoner sends 300 a second for a second (as in the issue) while the others chat.
    const poisonAcks: Promise<Ack<MessageView>>[] = [];
    const flood = (async () => {
      for (let tick = 0; tick < 100; tick++) {
        for (let i = 0; i < 3; i++)
          poisonAcks.push(
            poisoner.visitor.emitWithAck('message:send', { conversationId: poisoner.conversationId, clientId: newClientId('p'), body: SPLIT_AT_PREVIEW }),
          );
        await pause(10);
      }
    })();
    const innocent: Promise<Ack<MessageView>>[] = [];
    for (let i = 0; i < 40; i++) {
      innocent.push(other.visitor.emitWithAck('message:send', { conversationId: other.conversationId, clientId: newClientId('u'), body: `unrelated ${i}` }));
      innocent.push(a.op.socket.emitWithAck('message:send', { conversationId: a.conversationId, clientId: newClientId('o'), body: `operator ${i}` }));
      await pause(25);
    }
    await flood;
    const results = await Promise.all(innocent);
    const poisoned = await Promise.all(poisonAcks);

    expect(results.filter((r) => !r.ok)).toEqual([]);
    // The flood itself is fine now: the preview keeps the emoji whole.
    expect(poisoned.filter((r) => !r.ok)).toEqual([]);
    const list = ok(await a.op.socket.emitWithAck('chat:list', {}));
    expect(list.find((c) => c.id === poisoner.conversationId)?.preview).toBe('a'.repeat(138) + '😀…');
  });

  it('starts a chat whose question has an emoji at the preview cut', async () => {
    const server = await h.server();
    const op = await h.operator(server);
    const { socket } = await h.connectVisitor(server, op.account.id);
    const started = ok(
      await socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: SPLIT_AT_PREVIEW }),
    );
    expect(started.messages[0]!.body).toBe(SPLIT_AT_PREVIEW);
    // Visitors get no preview (#4: only what they need); the operators' list shows it.
    const list = ok(await op.socket.emitWithAck('chat:list', {}));
    expect(list.find((c) => c.id === started.conversation.id)?.preview).toBe('a'.repeat(138) + '😀…');
  });
});

describe('a message the database refuses (#4)', () => {
  it('is refused alone with message_rejected, every time it is resent, while its batch neighbours are stored', async () => {
    const server = await h.server();
    await refuseMarkedMessages(server, '[refuse-me]');
    const restore = quiet(server);
    const a = await activeChat(server);
    const b = await activeChat(server);
    const bad = { conversationId: a.conversationId, clientId: newClientId('bad'), body: 'please [refuse-me]' };

    for (let round = 0; round < 3; round++) {
      // All in one event-loop turn on the server: one batch, unless the writer splits it.
      const [refused, ...innocent] = await Promise.all([
        a.visitor.emitWithAck('message:send', bad),
        a.visitor.emitWithAck('message:send', { conversationId: a.conversationId, clientId: newClientId(), body: `after the bad one ${round}` }),
        a.op.socket.emitWithAck('message:send', { conversationId: a.conversationId, clientId: newClientId(), body: `operator ${round}` }),
        b.visitor.emitWithAck('message:send', { conversationId: b.conversationId, clientId: newClientId(), body: `other account ${round}` }),
        b.op.socket.emitWithAck('message:send', { conversationId: b.conversationId, clientId: newClientId(), body: `other operator ${round}` }),
      ]);
      expect(refused).toMatchObject({ ok: false, error: { code: 'message_rejected', message: expect.stringMatching(/can't be sent/) } });
      for (const r of innocent) expect(r.ok).toBe(true);
    }
    restore();
    expect(server.app.ctx.writer.stats.rejected).toBe(3);

    const rows = await server.app.ctx.db.select().from(messages).where(eq(messages.conversationId, a.conversationId));
    expect(rows.some((r) => r.clientId === bad.clientId)).toBe(false);
    // Gap-free, in arrival order: 1 question, 2 "joined", then two a round.
    const sync = ok(await a.op.socket.emitWithAck('chat:sync', { conversationId: a.conversationId, afterSeq: 2 }));
    expect(sync.map((m) => m.seq)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(sync.map((m) => m.body).sort()).toEqual([
      'after the bad one 0',
      'after the bad one 1',
      'after the bad one 2',
      'operator 0',
      'operator 1',
      'operator 2',
    ]);
  });

  it('answers a chat:start the database refuses with message_rejected, and a changed question starts the chat', async () => {
    const server = await h.server();
    await refuseMarkedMessages(server, '[refuse-me]');
    const restore = quiet(server);
    const op = await h.operator(server);
    const { socket } = await h.connectVisitor(server, op.account.id);
    const form = { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Can I [refuse-me]?' };
    for (let i = 0; i < 2; i++) {
      expect(await socket.emitWithAck('chat:start', form)).toMatchObject({ ok: false, error: { code: 'message_rejected' } });
    }
    restore();
    const started = ok(await socket.emitWithAck('chat:start', { ...form, question: 'Can I return it?' }));
    expect(started.messages.map((m) => m.body)).toEqual(['Can I return it?']);
  });
});

describe('MessageWriter isolation (#4)', () => {
  async function twoChats() {
    const server = await h.server();
    const a = await activeChat(server);
    const b = await activeChat(server);
    const item = (chat: typeof a, body: string): NewMessage => ({
      accountId: chat.op.account.id,
      conversationId: chat.conversationId,
      clientId: newClientId(),
      author: 'visitor',
      visitorId: chat.session.visitorId,
      body,
    });
    return { server, a, b, item };
  }

  it('stores every other message of a batch and refuses the ones the database cannot take, each alone', async () => {
    const { server, a, b, item } = await twoChats();
    const restore = quiet(server);
    const writer = new MessageWriter(server.app.database, server.app.ctx.log);
    // Two inputs the service never builds but the real statement refuses: a conversation id that
    // is no uuid (22P02) and an operator that doesn't exist (23503, foreign key).
    const notUuid: NewMessage = { ...item(a, 'x'), conversationId: 'not-a-uuid' };
    // (A whisper: a public one from anyone but the chat's operator is refused before the insert, #7.)
    const noOperator: NewMessage = {
      ...item(b, 'y'),
      author: 'operator',
      visitorId: undefined,
      operatorId: randomUUID(),
      authorName: 'Ghost',
      visibility: 'internal',
    };
    const batch = [item(a, 'a1'), item(b, 'b1'), notUuid, item(a, 'a2'), item(b, 'b2'), noOperator, item(a, 'a3'), item(b, 'b3')];
    const settled = await Promise.allSettled(batch.map((i) => writer.write(i)));
    await writer.close();
    restore();

    const outcome = settled.map((s) => (s.status === 'fulfilled' ? s.value.message.body : (s.reason as { code: string }).code));
    expect(outcome).toEqual(['a1', 'b1', 'message_rejected', 'a2', 'b2', 'message_rejected', 'a3', 'b3']);
    // Each conversation's messages keep their arrival order, gap-free after seq 2 ("joined").
    const seqs = settled.map((s) => (s.status === 'fulfilled' ? s.value.message.seq : null));
    expect(seqs).toEqual([3, 3, null, 4, 4, null, 5, 5]);
    expect(writer.stats).toMatchObject({ rejected: 2, messages: 6 });
    expect(writer.stats.failedBatches).toBeGreaterThan(0);
    const stored = await server.app.ctx.db.select().from(messages).where(eq(messages.clientId, noOperator.clientId));
    expect(stored).toEqual([]);
  });

  it('keeps internal_error for every message of a batch lost to the connection, and does not split it', async () => {
    const { server, a, b, item } = await twoChats();
    const restore = quiet(server);
    for (const lost of [
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('could not receive data from server'), { code: '08006' }),
    ]) {
      let statements = 0;
      const down = {
        callJson: <R>(_fn: string, _json: JsonArgument): Promise<R[]> => {
          statements++;
          return Promise.reject(lost);
        },
      };
      const writer = new MessageWriter(down, server.app.ctx.log);
      const settled = await Promise.allSettled([item(a, 'a1'), item(b, 'b1'), item(a, 'a2'), item(b, 'b2')].map((i) => writer.write(i)));
      expect(settled.map((s) => s.status === 'rejected' && (s.reason as { code: string }).code)).toEqual(Array(4).fill('internal_error'));
      expect(statements).toBe(1);
      expect(writer.stats.rejected).toBe(0);
      await writer.close();
    }
    restore();
  });

  it('stores text with NUL and lone surrogates handed to the writer directly, cleaned at the database edge', async () => {
    const { server, a, b, item } = await twoChats();
    const writer = new MessageWriter(server.app.database, server.app.ctx.log);
    const raw = 'x'.repeat(138) + '\ud83d\0 \udc00 tail';
    const [dirty, neighbour] = await Promise.all([writer.write(item(a, raw)), writer.write(item(b, 'neighbour'))]);
    await writer.close();
    expect(dirty.message.body).toBe('x'.repeat(138) + '\ufffd \ufffd tail');
    expect(dirty.conversation?.preview.isWellFormed()).toBe(true);
    expect(neighbour.message.body).toBe('neighbour');
    const [row] = await server.app.ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, a.conversationId), eq(messages.clientId, dirty.message.clientId)));
    expect(row?.body).toBe(dirty.message.body);
  });
});
