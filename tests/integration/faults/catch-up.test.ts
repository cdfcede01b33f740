/**
 * #3 idempotent resend and long sleep (Q1), against a server process on PGlite:
 * - the same client message id sent three times across a reconnect (one ack lost in the drop)
 *   is stored once, acked with one seq, broadcast once;
 * - a widget offline while 2,000 messages were written (more than any in-memory buffer and than
 *   one sync page) catches up from the database, in order, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../../shared/schemas/chats';
import { newClientId } from '../../support/chatClient';
import { type SidedeskNode, type SingleNode, startSingleNode, until } from '../../support/cluster';
import { expectExactlyOnceInOrder, openChat, SendLog, storedMessages } from '../../support/delivery';

describe('catching up after faults', () => {
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

  it('stores a message resent three times across a reconnect once', { timeout: 30_000 }, async () => {
    const { visitor, operator, conversationId } = await openChat({ visitorUrl: node.url, operatorUrl: node.url, accountId, token });
    const onWire: MessageView[] = [];
    operator.socket.on('message:sent', (m: MessageView) => onWire.push(m));
    const clientId = newClientId('idem');
    const payload = { conversationId, clientId, body: 'Do you ship to Norway?' };

    const first = await visitor.request<MessageView>('message:send', payload);
    // Second send: the connection drops right behind it, so its ack (if any) is lost.
    visitor.socket.emit('message:send', payload, () => {});
    visitor.socket.io.engine.close();
    await until(() => !visitor.connected, 5_000, 'the drop');
    await visitor.waitReady(10_000);
    const third = await visitor.request<MessageView>('message:send', payload);

    expect(third.seq).toBe(first.seq);
    const stored = await storedMessages(node.url, token, conversationId);
    expect(stored.filter((m) => m.clientId === clientId)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300)); // a late duplicate broadcast would show up here
    expect(onWire.filter((m) => m.clientId === clientId)).toHaveLength(1);
    visitor.close();
    operator.close();
  });

  it('brings a widget that slept through 2,000 messages up to date from the database', { timeout: 60_000 }, async () => {
    const { visitor, operator, conversationId } = await openChat({ visitorUrl: node.url, operatorUrl: node.url, accountId, token });
    const seqBeforeSleep = visitor.lastSeq(conversationId);
    visitor.socket.io.reconnection(false);
    visitor.socket.io.engine.close();
    await until(() => !visitor.connected, 5_000, 'the visitor to go offline');

    const log = new SendLog(operator);
    await Promise.all(Array.from({ length: 2_000 }, (_, n) => log.send(conversationId, `while you were away ${n}`)));
    expect(log.acked.size).toBe(2_000);
    expect(visitor.lastSeq(conversationId)).toBe(seqBeforeSleep); // it really missed them

    visitor.socket.io.reconnection(true);
    visitor.socket.connect();
    const stored = await storedMessages(node.url, token, conversationId);
    await until(
      () => visitor.lastSeq(conversationId) === stored.at(-1)!.seq,
      20_000,
      () => `visitor at ${visitor.lastSeq(conversationId)}`,
    );
    expect(visitor.stats.syncs).toBeGreaterThanOrEqual(1);
    expectExactlyOnceInOrder(stored, [log], [visitor, operator], conversationId);
    visitor.close();
    operator.close();
  });
});
