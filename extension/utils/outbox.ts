/**
 * Outgoing messages not yet acknowledged by the server. Each keeps its clientId, so a resend after
 * a reload or reconnect is recognised by the server and never stored twice (SPEC Q1).
 */
import type { MessageView } from '@@/shared/schemas/chats';
import { isTransportError, type ClientError, type Result } from './protocol';

export interface OutboxEntry {
  clientId: string;
  conversationId: string;
  body: string;
  authorName: string;
  /** ISO time the operator pressed Send: the resend order. */
  createdAt: string;
}

export interface OutboxStore {
  put(entry: OutboxEntry): Promise<void>;
  delete(clientId: string): Promise<void>;
  /** Oldest first. */
  all(): Promise<OutboxEntry[]>;
  clear(): Promise<void>;
}

export function createMemoryOutbox(): OutboxStore {
  const entries = new Map<string, OutboxEntry>();
  return {
    async put(entry) {
      entries.set(entry.clientId, { ...entry });
    },
    async delete(clientId) {
      entries.delete(clientId);
    },
    async all() {
      return [...entries.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    },
    async clear() {
      entries.clear();
    },
  };
}

export interface FlushHandlers {
  send(entry: OutboxEntry): Promise<Result<MessageView>>;
  /** Stored by the server (now or by an earlier attempt with the same clientId). */
  onSent(entry: OutboxEntry, message: MessageView): void;
  /** Refused for good (closed chat, invalid body): dropped from the outbox, shown as failed. */
  onRejected(entry: OutboxEntry, error: ClientError): void;
}

/**
 * Send every queued message, oldest first, one at a time so they are stored in the order typed.
 * Stops at the first transport failure (offline, timeout) and keeps the rest for the next try.
 * Returns how many were sent.
 */
export async function flushOutbox(store: OutboxStore, handlers: FlushHandlers): Promise<{ sent: number; remaining: number }> {
  const entries = await store.all();
  let sent = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const res = await handlers.send(entry);
    if (res.ok) {
      await store.delete(entry.clientId);
      handlers.onSent(entry, res.data);
      sent++;
    } else if (isTransportError(res.error)) {
      return { sent, remaining: entries.length - i };
    } else {
      await store.delete(entry.clientId);
      handlers.onRejected(entry, res.error);
    }
  }
  return { sent, remaining: 0 };
}
