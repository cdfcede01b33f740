/**
 * What the fault and multi-node tests assert, in one place (Q1): the database holds each
 * message once with gap-free seqs; every acknowledged message is there; each side received the
 * whole conversation exactly once, in order; each sender's messages kept their send order.
 */
import { expect } from 'vitest';
import type { MessageView } from '../../shared/schemas/chats';
import { ChatClient, newClientId } from './chatClient';
import { until } from './cluster';

/** A sender that remembers what it sent (in order) and what the server acknowledged. */
export class SendLog {
  readonly sent: { conversationId: string; clientId: string }[] = [];
  readonly acked = new Map<string, MessageView>();
  readonly failed: Error[] = [];
  /** Sends made while the client was disconnected (queued in its outbox). */
  sentOffline = 0;

  constructor(readonly client: ChatClient) {}

  send(conversationId: string, body: string): Promise<MessageView | null> {
    const clientId = newClientId('f');
    if (!this.client.connected) this.sentOffline += 1;
    this.sent.push({ conversationId, clientId });
    return this.client.send(conversationId, body, clientId).then(
      (m) => {
        this.acked.set(clientId, m);
        return m;
      },
      (e: Error) => {
        this.failed.push(e);
        return null;
      },
    );
  }
}

/** The conversation as stored: every message from seq 1, read page by page by a fresh operator. */
export async function storedMessages(url: string | string[], token: string, conversationId: string): Promise<MessageView[]> {
  const reader = new ChatClient({ url, role: 'operator', auth: { token }, keepHistory: false });
  await reader.connect();
  try {
    const all: MessageView[] = [];
    for (;;) {
      const page = await reader.request<MessageView[]>('chat:sync', { conversationId, afterSeq: all.at(-1)?.seq ?? 0 });
      if (page.length === 0) return all;
      all.push(...page);
    }
  } finally {
    reader.close();
  }
}

/** Waits until the senders have no unacknowledged message and every reader has caught up to `lastSeq`. */
export async function settle(
  logs: SendLog[],
  readers: { client: ChatClient; conversationId: string }[],
  timeoutMs: number,
  lastSeq: () => Promise<Map<string, number>>,
) {
  await until(
    () => logs.every((l) => l.client.pending === 0),
    timeoutMs,
    () => `outboxes empty (pending/connected: ${logs.map((l) => `${l.client.pending}/${l.client.connected}`).join(' ')})`,
  );
  const last = await lastSeq();
  await until(
    () => readers.every((r) => r.client.lastSeq(r.conversationId) >= (last.get(r.conversationId) ?? 0)),
    timeoutMs,
    () => `readers caught up to ${JSON.stringify([...last])}: ${readers.map((r) => `${r.client.role}@${r.client.lastSeq(r.conversationId)}`).join(' ')}`,
  );
}

/**
 * The guarantees for one conversation, against what is stored:
 * stored once with seqs 1..n, every ack stored under its seq, both sides got exactly the stored
 * sequence, and each sender's messages are stored in the order they were sent.
 */
export function expectExactlyOnceInOrder(stored: MessageView[], logs: SendLog[], readers: ChatClient[], conversationId: string): void {
  expect(
    stored.map((m) => m.seq),
    'seqs are 1..n without gaps',
  ).toEqual(stored.map((_, i) => i + 1));
  const clientIds = stored.map((m) => m.clientId);
  expect(new Set(clientIds).size, 'no message stored twice').toBe(clientIds.length);

  const byClientId = new Map(stored.map((m) => [m.clientId, m]));
  for (const log of logs) {
    expect(log.failed, 'no send was refused').toEqual([]);
    for (const [clientId, ack] of log.acked) {
      if (ack.conversationId !== conversationId) continue;
      expect(byClientId.get(clientId)?.seq, `acked message ${clientId} is stored under its acked seq`).toBe(ack.seq);
    }
    const mine = log.sent.filter((s) => s.conversationId === conversationId).map((s) => s.clientId);
    const storedOrder = clientIds.filter((id) => mine.includes(id));
    expect(storedOrder, 'every message of the sender is stored, in send order').toEqual(mine);
  }
  const expected = stored.map((m) => `${m.seq}:${m.clientId}`);
  for (const reader of readers) {
    const got = (reader.history.get(conversationId) ?? []).map((m) => `${m.seq}:${m.clientId}`);
    expect(got, `${reader.role} received the conversation exactly once, in order`).toEqual(expected);
  }
}

export interface OpenChat {
  visitor: ChatClient;
  operator: ChatClient;
  conversationId: string;
}

/** A visitor starts a chat and an operator accepts it, both through the real protocol. */
export async function openChat(opts: {
  visitorUrl: string | string[];
  operatorUrl: string | string[];
  accountId: string;
  token: string;
  name?: string;
}): Promise<OpenChat> {
  const visitor = await new ChatClient({ url: opts.visitorUrl, role: 'visitor', auth: { accountId: opts.accountId } }).connect();
  const operator = await new ChatClient({ url: opts.operatorUrl, role: 'operator', auth: { token: opts.token } }).connect();
  const started = await visitor.startChat({ name: opts.name ?? 'Vera Visitor', email: 'vera@example.com', question: 'Hello?' });
  await operator.acceptChat(started.conversation.id);
  return { visitor, operator, conversationId: started.conversation.id };
}

/**
 * Cuts a client's connection like a network drop (engine closed, no clean disconnect) and keeps
 * it down for `downMs` before letting it reconnect.
 */
export async function dropConnection(client: ChatClient, downMs: number): Promise<void> {
  const manager = client.socket.io;
  manager.reconnection(false);
  manager.engine?.close();
  await new Promise((r) => setTimeout(r, downMs));
  manager.reconnection(true);
  client.socket.connect();
}
