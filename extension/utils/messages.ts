/**
 * Pure message-list logic of the chat window (SPEC Q1 on the client): one list per conversation,
 * always sorted by seq, deduplicated by seq and clientId, with the operator's own unsent messages
 * (no seq yet) after the sent ones. A live `message:sent` may arrive before the ack of the same
 * send, or twice (live + catch-up): merging is idempotent.
 */
import type { AuthorType, MessageView } from '@@/shared/schemas/chats';

/** `failed`: refused by the server for good (#4); it is never resent, only discarded or edited. */
export type DeliveryState = 'sending' | 'sent' | 'failed';

export interface ChatMessage {
  conversationId: string;
  /** null until the server has stored it. */
  seq: number | null;
  clientId: string;
  author: AuthorType;
  authorName: string;
  body: string;
  createdAt: string;
  state: DeliveryState;
  /** Why a send failed for good: the server's error code (the UI words it from strings.ts). */
  error?: string;
}

/** A client id for a new message: the idempotency key reused by every resend. Matches [A-Za-z0-9_-]{8,64}. */
export function newClientId(): string {
  return `op_${crypto.randomUUID().replace(/-/g, '')}`;
}

export function fromView(view: MessageView): ChatMessage {
  return { ...view, state: 'sent' };
}

function compare(a: ChatMessage, b: ChatMessage): number {
  if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
  if (a.seq !== null) return -1;
  if (b.seq !== null) return 1;
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
}

/** Merge stored messages into a list: a known seq or clientId is never added twice; a pending message becomes sent. */
export function mergeMessages(current: readonly ChatMessage[], incoming: readonly MessageView[]): ChatMessage[] {
  if (incoming.length === 0) return current as ChatMessage[];
  const bySeq = new Map<number, ChatMessage>();
  const byClientId = new Map<string, ChatMessage>();
  const pending: ChatMessage[] = [];
  for (const m of current) {
    if (m.seq !== null) bySeq.set(m.seq, m);
    else pending.push(m);
    byClientId.set(m.clientId, m);
  }
  let changed = false;
  for (const view of incoming) {
    if (bySeq.has(view.seq)) continue;
    const own = byClientId.get(view.clientId);
    if (own && own.seq !== null) continue; // same message already stored under its seq
    const sent = fromView(view);
    if (own) pending.splice(pending.indexOf(own), 1);
    bySeq.set(view.seq, sent);
    byClientId.set(view.clientId, sent);
    changed = true;
  }
  if (!changed) return current as ChatMessage[];
  return [...bySeq.values(), ...pending].sort(compare);
}

/** Add (or keep) one of the operator's own messages that is not stored yet. */
export function addPending(current: readonly ChatMessage[], message: ChatMessage): ChatMessage[] {
  if (current.some((m) => m.clientId === message.clientId)) return current as ChatMessage[];
  return [...current, { ...message, seq: null }].sort(compare);
}

export function setDelivery(current: readonly ChatMessage[], clientId: string, state: DeliveryState, error?: string): ChatMessage[] {
  return current.map((m) => (m.clientId === clientId && m.seq === null ? { ...m, state, error } : m));
}

export function removeMessage(current: readonly ChatMessage[], clientId: string): ChatMessage[] {
  return current.filter((m) => !(m.clientId === clientId && m.seq === null));
}

/**
 * The seq to ask `chat:sync` to continue after: the end of the unbroken run that starts at the
 * lowest seq held (1 for a full history). A gap means something was missed, so the run stops there.
 */
export function contiguousSeq(list: readonly ChatMessage[]): number {
  const seqs = list.filter((m) => m.seq !== null).map((m) => m.seq as number);
  if (seqs.length === 0) return 0;
  seqs.sort((a, b) => a - b);
  let last = seqs[0]! <= 1 ? seqs[0]! : 0;
  if (last === 0) return 0;
  for (const s of seqs) {
    if (s === last + 1) last = s;
    else if (s > last + 1) break;
  }
  return last;
}

/** Highest seq held (gaps or not). */
export function maxSeq(list: readonly ChatMessage[]): number {
  let max = 0;
  for (const m of list) if (m.seq !== null && m.seq > max) max = m.seq;
  return max;
}

/** True when some seq below the highest one held is missing: time for a `chat:sync`. */
export function hasGap(list: readonly ChatMessage[]): boolean {
  return contiguousSeq(list) < maxSeq(list);
}
