import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createApp } from '../../server/src/app';
import { collect, Harness, loginOk, newClientId, testConfig, waitFor, waitForRow } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

/** Node A (the harness's server) and node B (another app on A's database), rooms shared through Redis. */
async function twoNodes() {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const a = await h.server({ redisUrl });
  if (a.database.kind !== 'postgres') throw new Error('needs PostgreSQL');
  const appB = await createApp(testConfig({ databaseUrl: a.database.url, redisUrl }));
  const b = { app: appB, url: (await appB.listen(0)).url, database: a.database, close: () => appB.close() };
  return { a, b };
}

// Two server processes' worth of apps on one PostgreSQL, rooms shared through Redis (Q4).
describe.runIf(process.env.DATABASE_URL)('two nodes on one PostgreSQL with the Redis adapter', () => {
  it('carries a chat between a visitor on node A and an operator on node B, with presence across nodes', async () => {
    const { a, b } = await twoNodes();
    try {
      const { account, email, password } = await h.account(a);
      const { token } = await loginOk(b.url, email, password);
      const operator = await h.connectOperator(b, token);
      const { socket: visitor, session } = await h.connectVisitor(a, account.id);
      expect(session.operatorsAvailable).toBe(true);

      const listed = await operator.emitWithAck('visitor:list', {});
      expect(listed.ok && listed.data.map((v) => [v.id, v.online])).toEqual([[session.visitorId, true]]);

      const requested = waitFor(operator, 'chat:requested');
      const started = await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'v@example.com', question: 'Across nodes?' });
      const conversationId = (await requested).id;
      expect(started.ok && started.data.conversation.id).toBe(conversationId);

      const joined = waitFor(visitor, 'message:sent', (m) => m.author === 'system');
      expect((await operator.emitWithAck('chat:accept', { conversationId })).ok).toBe(true);
      await joined;
      const atVisitor = waitFor(visitor, 'message:sent', (m) => m.body === 'yes');
      await operator.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'yes' });
      await atVisitor;
      const atOperator = waitFor(operator, 'message:sent', (m) => m.body === 'great');
      await visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'great' });
      expect((await atOperator).seq).toBe(4);

      const offline = waitForRow(operator, (v) => v.id === session.visitorId && !v.online);
      visitor.disconnect();
      await offline;
    } finally {
      await b.close();
    }
  });

  it('stores a message once when two nodes commit its clientId at the same moment, and stays gap-free', async () => {
    const a = await h.server();
    if (a.database.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const appB = await createApp(testConfig({ databaseUrl: a.database.url }));
    const locker = new pg.Client({ connectionString: a.database.url });
    await locker.connect();
    try {
      const op = await h.operator(a);
      const { socket: visitor, session } = await h.connectVisitor(a, op.account.id);
      const started = await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'v@example.com', question: 'Hi' });
      if (!started.ok) throw new Error('chat:start failed');
      const conversationId = started.data.conversation.id;
      const item = {
        accountId: op.account.id,
        conversationId,
        clientId: newClientId(),
        author: 'visitor' as const,
        visitorId: session.visitorId,
        body: 'resent to the other node',
      };

      // Hold the conversation's row lock so both nodes' statements start (and take their
      // snapshots, in which the message isn't stored yet) before either can commit.
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE', [conversationId]);
      const both = Promise.all([a.app.ctx.writer.write(item), appB.ctx.writer.write(item)]);
      await new Promise((r) => setTimeout(r, 300));
      await locker.query('COMMIT');
      const [onA, onB] = await both;

      expect([onA.duplicate, onB.duplicate].sort()).toEqual([false, true]);
      expect(onA.message.seq).toBe(2);
      expect(onB.message.seq).toBe(2);
      const { rows } = await locker.query('SELECT seq FROM messages WHERE conversation_id = $1 ORDER BY seq', [conversationId]);
      expect(rows.map((r: { seq: number }) => r.seq)).toEqual([1, 2]);
      const { rows: conv } = await locker.query('SELECT last_seq FROM conversations WHERE id = $1', [conversationId]);
      expect(conv[0].last_seq).toBe(2);
    } finally {
      await locker.end();
      await appB.close();
    }
  });

  it('tells widgets an operator is back on one node after the last one left on another (#4: the nodes share what the widgets were told)', async () => {
    const { a, b } = await twoNodes();
    try {
      const { account, email, password } = await h.account(a);
      const ada = (await loginOk(a.url, email, password)).token;
      const colin = await h.colleague(a, account.id);
      colin.socket.disconnect();
      const settled = () => new Promise((r) => setTimeout(r, 1_200)); // past the second that gathers changes
      await settled();
      const { socket: widget } = await h.connectVisitor(a, account.id);
      const seen = collect(widget, 'availability:updated');
      const told = (available: boolean) => waitFor(widget, 'availability:updated', (u) => u.operatorsAvailable === available);

      let adaOnA = await h.connectOperator(a, ada);
      await told(true);
      const colinOnB = await h.connectOperator(b, colin.token);
      await settled();
      adaOnA.disconnect(); // Colin is still online (on B): nothing changes for the widgets
      await settled();
      const offline = told(false);
      colinOnB.disconnect();
      await offline;
      // A sent "available" last itself; it must know B has said otherwise since.
      const online = told(true);
      adaOnA = await h.connectOperator(a, ada);
      await online;
      expect(seen.map((u) => u.operatorsAvailable)).toEqual([true, false, true]);
    } finally {
      await b.close();
    }
  });
});
