/**
 * The chat window's message list (Q1 on the client): one list per conversation, stored
 * messages by seq, then the operator's own unsent ones (no seq yet). The rules are the shared
 * client protocol's (shared/protocol, #5): merging by seq and clientId, the gap rule, client ids,
 * the lastAuthor rule; this file holds what only the panel has, its delivery states.
 */
import type { AuthorType, MessageView } from '@@/shared/schemas/chats';
import type { FileView } from '@@/shared/schemas/files';
import { displayOrder, mergeMessages as mergeStored, newClientId as newId } from '@@/shared/protocol';

export { contiguousSeq, hasGap } from '@@/shared/protocol';

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
  /** The file it carries (#5, P7). */
  file?: FileView;
  /** Operators only (#5): a transfer's note (#6), later whispers. */
  visibility?: 'internal';
  /** W2: the author of an internal message (Respond opens the chat with them). */
  operatorId?: string;
}

/** A client id for the operator's new message (`op_` marks it in logs): the idempotency key every resend reuses. */
export function newClientId(): string {
  return newId('op_');
}

export function fromView(view: MessageView): ChatMessage {
  return { ...view, state: 'sent' };
}

/** Merge stored messages into a list: a known seq or clientId is never added twice; a pending message becomes sent. */
export function mergeMessages(current: readonly ChatMessage[], incoming: readonly MessageView[]): ChatMessage[] {
  return mergeStored(current, incoming, fromView);
}

/** Add (or keep) one of the operator's own messages that is not stored yet. */
export function addPending(current: readonly ChatMessage[], message: ChatMessage): ChatMessage[] {
  if (current.some((m) => m.clientId === message.clientId)) return current as ChatMessage[];
  return [...current, { ...message, seq: null }].sort(displayOrder);
}

export function setDelivery(current: readonly ChatMessage[], clientId: string, state: DeliveryState, error?: string): ChatMessage[] {
  return current.map((m) => (m.clientId === clientId && m.seq === null ? { ...m, state, error } : m));
}

export function removeMessage(current: readonly ChatMessage[], clientId: string): ChatMessage[] {
  return current.filter((m) => !(m.clientId === clientId && m.seq === null));
}
