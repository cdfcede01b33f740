/**
 * The visitor's side of the delivery guarantee (SPEC Q1), as pure functions so it can be tested
 * without a browser or a server:
 * - confirmed messages are merged by `seq` (the server's order) and deduplicated by seq and
 *   clientId, because the same message can arrive in an ack, a live `message:sent` and a sync;
 * - outgoing messages wait in an outbox under their clientId until acknowledged, and every resend
 *   reuses that clientId so the server can drop duplicates;
 * - catch-up after a reconnect pages `chat:sync` until nothing more comes back.
 */
import type { MessageView } from '../../../shared/schemas/chats';
import { isPermanentSendError, type Ack } from '../../../shared/errors';

/** A message not yet acknowledged by the server. */
export interface OutboxItem {
  clientId: string;
  conversationId: string;
  body: string;
  createdAt: string;
  /** Last attempt failed for now (timeout, server error); it is retried on the next connect or on demand. */
  failed?: boolean;
  /**
   * Refused for good (#4: message_rejected, validation_failed, a closed or unknown chat): never
   * resent, and the messages after it go on. The visitor removes it or edits it into a new one.
   */
  rejected?: boolean;
}

export type DisplayStatus = 'sent' | 'sending' | 'failed' | 'rejected';

/** What the message list renders: confirmed messages by seq, then pending ones in send order. */
export interface DisplayMessage {
  key: string;
  clientId: string;
  seq: number | null;
  author: MessageView['author'];
  authorName: string;
  body: string;
  createdAt: string;
  status: DisplayStatus;
}

/** Merges `incoming` into `list` (sorted by seq): duplicates by seq or clientId are dropped. */
export function mergeMessages(list: readonly MessageView[], incoming: readonly MessageView[]): MessageView[] {
  if (!incoming.length) return list as MessageView[];
  const seqs = new Set(list.map((m) => m.seq));
  const ids = new Set(list.map((m) => m.clientId));
  const out = list.slice();
  for (const m of incoming) {
    if (seqs.has(m.seq) || ids.has(m.clientId)) continue;
    seqs.add(m.seq);
    ids.add(m.clientId);
    out.push(m);
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** Highest seq the client holds (0 = nothing yet), what `chat:sync` asks to continue after. */
export function lastSeq(list: readonly MessageView[]): number {
  let max = 0;
  for (const m of list) if (m.seq > max) max = m.seq;
  return max;
}

/** Drops outbox items whose message the server has confirmed (seen in `confirmed`). */
export function pruneOutbox(outbox: readonly OutboxItem[], confirmed: readonly MessageView[]): OutboxItem[] {
  const ids = new Set(confirmed.map((m) => m.clientId));
  return outbox.filter((o) => !ids.has(o.clientId));
}

/** The list to render: confirmed messages by seq, then outbox items of this conversation. */
export function displayMessages(
  confirmed: readonly MessageView[],
  outbox: readonly OutboxItem[],
  conversationId: string | null,
  visitorName: string,
): DisplayMessage[] {
  const ids = new Set<string>();
  const out: DisplayMessage[] = confirmed.map((m) => {
    ids.add(m.clientId);
    return { key: 's' + m.seq, clientId: m.clientId, seq: m.seq, author: m.author, authorName: m.authorName, body: m.body, createdAt: m.createdAt, status: 'sent' };
  });
  for (const o of outbox) {
    if (o.conversationId !== conversationId || ids.has(o.clientId)) continue;
    out.push({ key: 'c' + o.clientId, clientId: o.clientId, seq: null, author: 'visitor', authorName: visitorName, body: o.body, createdAt: o.createdAt, status: o.rejected ? 'rejected' : o.failed ? 'failed' : 'sending' });
  }
  return out;
}

/** A fresh idempotency key: 32 hex characters (matches `[A-Za-z0-9_-]{8,64}`). */
export function newClientId(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID().replace(/-/g, '');
  const bytes = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Fetches everything after `afterSeq` by paging `chat:sync` until a page comes back empty (the
 * server's page size is its own business) or `knownLastSeq` (the server's `lastSeq`) is reached.
 * It always asks at least once: a reconnect must not trust a possibly stale count alone.
 */
export async function syncAll(
  fetchPage: (afterSeq: number) => Promise<MessageView[]>,
  afterSeq: number,
  knownLastSeq = Infinity,
  maxPages = 100,
): Promise<MessageView[]> {
  const all: MessageView[] = [];
  let after = afterSeq;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetchPage(after);
    if (!page.length) break;
    all.push(...page);
    const next = lastSeq(page);
    if (next <= after) break; // a server that doesn't advance must not loop us forever
    after = next;
    if (after >= knownLastSeq) break;
  }
  return all;
}

/**
 * Outcome of one send attempt. `retry`: try again later (timeout, disconnect, server error);
 * otherwise resending the same message can never succeed (see isPermanentSendError).
 */
export type SendOutcome = { ok: true; message: MessageView } | { ok: false; retry: boolean; message: string };

/** Turns an ack (or a thrown timeout) into a {@link SendOutcome}. */
export function toOutcome(res: Ack<MessageView> | Error): SendOutcome {
  if (res instanceof Error) return { ok: false, retry: true, message: res.message };
  if (res.ok) return { ok: true, message: res.data };
  return { ok: false, retry: !isPermanentSendError(res.error.code), message: res.error.message };
}
