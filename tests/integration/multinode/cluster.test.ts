/**
 * #3 multi-node (Q4): two server processes on one PostgreSQL database share rooms through the
 * Socket.IO Redis adapter. A private redis-server on a random port is used (the machine's Redis is
 * shared with other work, and one test kills ours). Needs PostgreSQL and redis-server on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitorView } from '../../../shared/schemas/visitors';
import type { ChatClient } from '../../support/chatClient';
import {
  login,
  multiNodeSkipReason,
  postgresBackend,
  setupAccount,
  startNode,
  startRedis,
  until,
  type Backend,
  type RedisProcess,
  type SidedeskNode,
} from '../../support/cluster';
import { expectExactlyOnceInOrder, openChat, SendLog, settle, storedMessages, type OpenChat } from '../../support/delivery';

const reason = await multiNodeSkipReason();

/** Both sides send every `everyMs` until `stop()` (then `settle` waits for the acks, with a deadline). */
function traffic(chats: OpenChat[], everyMs: number) {
  let on = true;
  const entries = chats.flatMap((c) => [
    { client: c.visitor, conversationId: c.conversationId, log: new SendLog(c.visitor) },
    { client: c.operator, conversationId: c.conversationId, log: new SendLog(c.operator) },
  ]);
  const loops = entries.map(({ log, conversationId }, i) =>
    (async () => {
      for (let n = 0; on; n++) {
        void log.send(conversationId, `client ${i} message ${n}`);
        await new Promise((r) => setTimeout(r, everyMs));
      }
    })(),
  );
  return {
    entries,
    stop: async () => {
      on = false;
      await Promise.all(loops);
    },
  };
}

async function expectAllDelivered(chats: OpenChat[], entries: ReturnType<typeof traffic>['entries'], url: string, token: string) {
  const stored = new Map<string, Awaited<ReturnType<typeof storedMessages>>>();
  await settle(
    entries.map((e) => e.log),
    entries.map(({ client, conversationId }) => ({ client, conversationId })),
    30_000,
    async () => {
      for (const c of chats) stored.set(c.conversationId, await storedMessages(url, token, c.conversationId));
      return new Map([...stored].map(([id, ms]) => [id, ms.at(-1)?.seq ?? 0]));
    },
  );
  for (const chat of chats) {
    const logs = entries.filter((e) => e.conversationId === chat.conversationId).map((e) => e.log);
    expect(logs.reduce((s, l) => s + l.acked.size, 0)).toBeGreaterThan(20);
    expectExactlyOnceInOrder(stored.get(chat.conversationId)!, logs, [chat.visitor, chat.operator], chat.conversationId);
  }
}

describe.skipIf(reason !== '')(`two nodes behind Redis ${reason ? `(skipped: ${reason})` : ''}`, () => {
  let redis: RedisProcess;
  let backend: Backend;
  let a: SidedeskNode;
  let b: SidedeskNode;
  let accountId: string;
  let token: string;
  const open: ChatClient[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    backend = await postgresBackend();
    const account = await setupAccount(backend.env);
    accountId = account.accountId;
    [a, b] = await Promise.all([startNode(backend, { REDIS_URL: redis.url }), startNode(backend, { REDIS_URL: redis.url })]);
    token = await login(a.url, account.email, account.password);
  });

  afterAll(async () => {
    for (const c of open) c.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await backend?.cleanup();
  });

  it('runs a chat whose visitor is on node A and operator on node B, and shows presence across nodes', { timeout: 30_000 }, async () => {
    const chat = await openChat({ visitorUrl: a.url, operatorUrl: b.url, accountId, token });
    open.push(chat.visitor, chat.operator);
    await chat.visitor.request('page:view', { url: 'https://shop.example/pricing', title: 'Pricing', referrer: '', language: 'en' });

    const toOperator = await chat.visitor.send(chat.conversationId, 'Hi from node A');
    const toVisitor = await chat.operator.send(chat.conversationId, 'Hello from node B');
    await until(() => chat.operator.lastSeq(chat.conversationId) >= toOperator.seq, 5_000, 'the visitor message on node B');
    await until(() => chat.visitor.lastSeq(chat.conversationId) >= toVisitor.seq, 5_000, 'the operator message on node A');
    // Both arrived live, not through a gap sync.
    expect(chat.operator.history.get(chat.conversationId)!.map((m) => m.body)).toContain('Hi from node A');
    expect(chat.visitor.history.get(chat.conversationId)!.map((m) => m.body)).toContain('Hello from node B');

    // The visitors grid on node B sees the visitor connected to node A, on its current page…
    const visitorId = chat.visitor.session!.visitorId;
    const row = async () => (await chat.operator.request<VisitorView[]>('visitor:list', {})).find((v) => v.id === visitorId);
    const seen = await row();
    expect(seen?.online).toBe(true);
    expect(seen?.currentUrl).toBe('https://shop.example/pricing');
    // …and sees it leave.
    chat.visitor.close();
    await until(async () => (await row())?.online === false, 10_000, 'the visitor to show offline on node B');
  });

  it('resumes delivery after Redis is down for 10 s, and clients resync from the database', { timeout: 60_000 }, async () => {
    const chats = [
      await openChat({ visitorUrl: a.url, operatorUrl: b.url, accountId, token }),
      await openChat({ visitorUrl: b.url, operatorUrl: a.url, accountId, token }),
    ];
    open.push(...chats.flatMap((c) => [c.visitor, c.operator]));
    const t = traffic(chats, 50);
    await new Promise((r) => setTimeout(r, 1_500));
    await redis.stop();
    await new Promise((r) => setTimeout(r, 10_000));
    await redis.start();
    await new Promise((r) => setTimeout(r, 3_000)); // traffic goes on after the outage
    await t.stop();
    await expectAllDelivered(chats, t.entries, b.url, token);
    // Both nodes lived through it, without a rejection nobody handled.
    for (const node of [a, b]) {
      expect(node.process.child.exitCode).toBeNull();
      expect(node.process.output()).not.toMatch(/Unhandled promise rejection|UnhandledPromiseRejection/);
    }
  });

  it('loses nothing when one node is killed under load: its clients move to the other', { timeout: 60_000 }, async () => {
    const both = (first: SidedeskNode, second: SidedeskNode) => [first.url, second.url];
    const chats = [
      await openChat({ visitorUrl: both(a, b), operatorUrl: both(b, a), accountId, token }),
      await openChat({ visitorUrl: both(b, a), operatorUrl: both(a, b), accountId, token }),
    ];
    open.push(...chats.flatMap((c) => [c.visitor, c.operator]));
    const t = traffic(chats, 30);
    await new Promise((r) => setTimeout(r, 2_000));
    await a.crash();
    await new Promise((r) => setTimeout(r, 4_000));
    await t.stop();
    await expectAllDelivered(chats, t.entries, b.url, token);
    // The clients that were on A are on B now.
    expect(chats[0]!.visitor.stats.connects).toBeGreaterThanOrEqual(2);
    expect(chats[1]!.operator.stats.connects).toBeGreaterThanOrEqual(2);
  });
});
