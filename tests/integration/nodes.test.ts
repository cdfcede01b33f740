import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app';
import { Harness, loginOk, newClientId, testConfig, waitFor } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

// Two server processes' worth of apps on one PostgreSQL, rooms shared through Redis (Q4).
describe.runIf(process.env.DATABASE_URL)('two nodes on one PostgreSQL with the Redis adapter', () => {
  it('carries a chat between a visitor on node A and an operator on node B, with presence across nodes', async () => {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const a = await h.server({ redisUrl });
    if (a.database.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const appB = await createApp(testConfig({ databaseUrl: a.database.url, redisUrl }));
    const b = { app: appB, url: (await appB.listen(0)).url, database: a.database, close: () => appB.close() };
    try {
      const { account, email, password } = await h.account(a);
      const { token } = await loginOk(b.url, email, password);
      const operator = await h.connectOperator(b, token);
      const { socket: visitor, session } = await h.connectVisitor(a, account.id);
      expect(session.operatorsOnline).toBe(1);

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

      const offline = waitFor(operator, 'visitor:updated', (v) => v.id === session.visitorId && !v.online);
      visitor.disconnect();
      await offline;
    } finally {
      await appB.close();
    }
  });
});
