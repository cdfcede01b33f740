/**
 * #3 drop test (Q1): connections are cut (engine closed, ~2 s down) every few seconds while
 * both sides keep sending. Socket.IO alone is at-most-once (84 % delivered in a public drop test);
 * with acks after commit, resends by client id and chat:sync after reconnect, 100 % of the
 * acknowledged messages must reach the other side, once, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatClient } from '../../support/chatClient';
import { type SidedeskNode, type SingleNode, startSingleNode } from '../../support/cluster';
import { dropConnection, expectExactlyOnceInOrder, openChat, SendLog, settle, storedMessages, type OpenChat } from '../../support/delivery';

const CHATS = 3;
const TRAFFIC_MS = 12_000;
const SEND_EVERY_MS = 40;
const CUT_EVERY_MS = 2_500;
const CUT_ROUNDS = 4;
const DOWN_MS = 2_000;

describe('connection drops during traffic', () => {
  let single: SingleNode;
  let node: SidedeskNode;
  let accountId: string;
  let token: string;

  beforeAll(async () => {
    single = await startSingleNode();
    ({ node, accountId, token } = single);
  });

  afterAll(async () => {
    await single?.stop();
  });

  it('delivers every acknowledged message exactly once and in order', { timeout: 90_000 }, async () => {
    const chats: OpenChat[] = [];
    for (let i = 0; i < CHATS; i++) chats.push(await openChat({ visitorUrl: node.url, operatorUrl: node.url, accountId, token, name: `Visitor ${i}` }));
    const clients: { client: ChatClient; conversationId: string; log: SendLog }[] = chats.flatMap((c) => [
      { client: c.visitor, conversationId: c.conversationId, log: new SendLog(c.visitor) },
      { client: c.operator, conversationId: c.conversationId, log: new SendLog(c.operator) },
    ]);

    // Everyone sends steadily; every CUT_EVERY_MS half of the clients (alternating) drop for DOWN_MS.
    const start = Date.now();
    const senders = clients.map(({ log, conversationId }, i) =>
      (async () => {
        for (let n = 0; Date.now() - start < TRAFFIC_MS; n++) {
          void log.send(conversationId, `client ${i} message ${n}`); // settle() below waits for the acks
          await new Promise((r) => setTimeout(r, SEND_EVERY_MS));
        }
      })(),
    );
    const cuts: Promise<void>[] = [];
    for (let round = 0; round < CUT_ROUNDS; round++) {
      // Rounds at 1 s, 3.5 s, 6 s, 8.5 s: the last cut ends before the traffic does.
      await new Promise((r) => setTimeout(r, 1_000 + round * CUT_EVERY_MS - (Date.now() - start)));
      clients.forEach(({ client }, i) => {
        if ((i + round) % 2 === 0) cuts.push(dropConnection(client, DOWN_MS));
      });
    }
    await Promise.all([...senders, ...cuts]);

    const stored = new Map<string, Awaited<ReturnType<typeof storedMessages>>>();
    await settle(
      clients.map((c) => c.log),
      clients.map(({ client, conversationId }) => ({ client, conversationId })),
      30_000,
      async () => {
        for (const c of chats) stored.set(c.conversationId, await storedMessages(node.url, token, c.conversationId));
        return new Map([...stored].map(([id, ms]) => [id, ms.at(-1)?.seq ?? 0]));
      },
    );

    // The faults really happened: every client was cut, and messages were sent while offline.
    for (const { client } of clients) expect(client.stats.disconnects).toBeGreaterThanOrEqual(2);
    expect(clients.reduce((s, c) => s + c.log.sentOffline, 0)).toBeGreaterThan(0);

    for (const chat of chats) {
      const logs = clients.filter((c) => c.conversationId === chat.conversationId).map((c) => c.log);
      expect(logs.reduce((s, l) => s + l.acked.size, 0)).toBeGreaterThan(100);
      expectExactlyOnceInOrder(stored.get(chat.conversationId)!, logs, [chat.visitor, chat.operator], chat.conversationId);
    }
    for (const { client } of clients) client.close();
  });
});
