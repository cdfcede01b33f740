/**
 * #3 server restart (Q1): the server process is killed with SIGKILL in the middle of a write
 * burst and started again on the same data. Every message acknowledged before the kill must be
 * stored under its acked seq (ack only after commit), and the same clients — no page reload —
 * reconnect, resend what was unacknowledged and resume from their last seq.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { login, passBackend, passLabel, setupAccount, startNode, until, type Backend, type SidedeskNode } from '../../support/cluster';
import { expectExactlyOnceInOrder, openChat, SendLog, settle, storedMessages } from '../../support/delivery';

// On this pass's database (PGlite, or PostgreSQL with DATABASE_URL: CI runs both passes).
describe(`kill -9 of the server during a write burst (${passLabel})`, () => {
  let backend: Backend | undefined;
  let node: SidedeskNode | undefined;

  afterEach(async () => {
    await node?.stop();
    await backend?.cleanup();
  });

  it('keeps every acknowledged message and the clients resume without reload', { timeout: 90_000 }, async () => {
    backend = await passBackend();
    const account = await setupAccount(backend.env);
    // The burst pipelines 500 messages a second from the widget's side too, far past what a
    // visitor may send (#4): this test is about durability, not about the rate limits.
    node = await startNode(backend, { COMMAND_LIMITS_SCALE: '20' });
    const token = await login(node.url, account.email, account.password);
    const chat = await openChat({ visitorUrl: node.url, operatorUrl: node.url, accountId: account.accountId, token });
    const logs = [new SendLog(chat.visitor), new SendLog(chat.operator)];
    const visitorId = chat.visitor.session?.visitorId;

    // A burst from both sides, pipelined (a new send every 2 ms, no waiting for acks).
    let sending = true;
    const burst = logs.map((log, side) =>
      (async () => {
        for (let n = 0; sending; n++) {
          void log.send(chat.conversationId, `side ${side} burst ${n}`); // settle() below waits for the acks
          await new Promise((r) => setTimeout(r, 2));
        }
      })(),
    );
    await until(() => logs.every((l) => l.acked.size >= 100), 20_000, 'the burst to be under way');
    await node.crash();
    const ackedBeforeCrash = logs.map((l) => new Map(l.acked));
    const seqBeforeCrash = [chat.visitor.lastSeq(chat.conversationId), chat.operator.lastSeq(chat.conversationId)];
    const pendingAtCrash = logs.reduce((s, l) => s + l.client.pending, 0);

    await new Promise((r) => setTimeout(r, 500));
    await node.restart();
    await new Promise((r) => setTimeout(r, 1_000)); // the burst goes on across the restart
    sending = false;
    await Promise.all(burst);

    let stored = await storedMessages(node.url, token, chat.conversationId);
    await settle(
      logs,
      [chat.visitor, chat.operator].map((client) => ({ client, conversationId: chat.conversationId })),
      30_000,
      async () => {
        stored = await storedMessages(node!.url, token, chat.conversationId);
        return new Map([[chat.conversationId, stored.at(-1)?.seq ?? 0]]);
      },
    );

    // Everything acked before the crash survived it, under the same seq.
    const bySeq = new Map(stored.map((m) => [m.clientId, m.seq]));
    for (const acked of ackedBeforeCrash) for (const [clientId, m] of acked) expect(bySeq.get(clientId), `acked ${clientId}`).toBe(m.seq);
    // The burst really was cut mid-way: messages were in flight and had to be resent.
    expect(pendingAtCrash).toBeGreaterThan(0);
    // Same client objects throughout: they resumed from the seq they had, they did not start over.
    expect(chat.visitor.stats.connects).toBeGreaterThanOrEqual(2);
    expect(chat.operator.stats.connects).toBeGreaterThanOrEqual(2);
    expect(chat.visitor.lastSeq(chat.conversationId)).toBeGreaterThan(seqBeforeCrash[0]!);
    expect(chat.operator.lastSeq(chat.conversationId)).toBeGreaterThan(seqBeforeCrash[1]!);
    expect(chat.visitor.session?.visitorId, 'the widget came back as the same visitor').toBe(visitorId);
    expectExactlyOnceInOrder(stored, logs, [chat.visitor, chat.operator], chat.conversationId);
    chat.visitor.close();
    chat.operator.close();
  });
});
