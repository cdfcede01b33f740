/**
 * Outgoing messages not yet acknowledged by the server. Each keeps its clientId, so a resend after
 * a reload or reconnect is recognised by the server and never stored twice (Q1).
 */
import { isPermanentSendError } from '@@/shared/errors';
import type { MessageView } from '@@/shared/schemas/chats';
import type { FileView } from '@@/shared/schemas/files';
import { isTransportError, type ClientError, type Result } from './protocol';

export interface OutboxEntry {
  clientId: string;
  conversationId: string;
  body: string;
  authorName: string;
  /** ISO time the operator pressed Send: the resend order. */
  createdAt: string;
  /** An uploaded file it carries (#5, P7); `body` is then its caption, maybe empty. */
  file?: FileView;
  /** W1: a whisper (operators only): resent as one, so a reload never turns it into a message to the visitor. */
  internal?: true;
  /**
   * Set once the server refused it for good (#4): kept so a reload still shows it as failed, but
   * never resent and skipped by the flush. The operator discards it or edits it into a new one.
   */
  rejected?: { code: string; message: string };
}

/**
 * True for a refusal that resending the same message can never turn into success (message_rejected,
 * validation_failed, a closed or unknown chat; see isPermanentSendError). Transport failures and
 * server errors for now (internal_error, rate_limited) are worth another try later.
 */
export function isPermanentFailure(error: ClientError): boolean {
  return !isTransportError(error) && isPermanentSendError(error.code);
}

/** The entries still to send: everything queued except what was refused for good. */
export async function pendingEntries(store: OutboxStore): Promise<OutboxEntry[]> {
  return (await store.all()).filter((e) => !e.rejected);
}

/** What every outbox keeps of an entry: its clientId (the key) and when it was sent (the order). */
export interface QueuedEntry {
  clientId: string;
  createdAt: string;
}

/** An outbox: visitor chats' messages (OutboxEntry), internal chats' (TeamOutboxEntry, W3). */
export interface OutboxStore<E extends QueuedEntry = OutboxEntry> {
  put(entry: E): Promise<void>;
  delete(clientId: string): Promise<void>;
  /** Oldest first. */
  all(): Promise<E[]>;
  clear(): Promise<void>;
}

export function createMemoryOutbox<E extends QueuedEntry = OutboxEntry>(): OutboxStore<E> {
  const entries = new Map<string, E>();
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
  /** Refused for good (see isPermanentFailure): marked rejected in the outbox, shown as failed. */
  onRejected(entry: OutboxEntry, error: ClientError): void;
}

/** Marks an entry refused for good: it stays (a reload still shows it) but is never sent again (#4). */
export async function markRejected(store: OutboxStore, entry: OutboxEntry, error: ClientError): Promise<OutboxEntry> {
  const rejected = { ...entry, rejected: { code: error.code, message: error.message } };
  await store.put(rejected);
  return rejected;
}

/**
 * Send every queued message, oldest first, one at a time so they are stored in the order typed.
 * Stops at the first failure that may pass (offline, timeout, a server error for now) and keeps
 * the rest for the next try. A message refused for good is marked so and passed over: it never
 * holds up the ones after it (#4). Returns how many were sent and how many still wait.
 */
export async function flushOutbox(store: OutboxStore, handlers: FlushHandlers): Promise<{ sent: number; remaining: number }> {
  const entries = await pendingEntries(store);
  let sent = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const res = await handlers.send(entry);
    if (res.ok) {
      await store.delete(entry.clientId);
      handlers.onSent(entry, res.data);
      sent++;
    } else if (isPermanentFailure(res.error)) {
      handlers.onRejected(await markRejected(store, entry, res.error), res.error);
    } else {
      return { sent, remaining: entries.length - i };
    }
  }
  return { sent, remaining: 0 };
}
