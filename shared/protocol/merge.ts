import type { MessageView } from '../schemas/chats';

/**
 * What the merge needs of an entry of a client's message list. A stored message has its `seq`;
 * an optimistic one (shown at once, not yet acknowledged) has `seq: null` until the server's copy
 * replaces it.
 */
export interface SeqEntry {
  seq: number | null;
  clientId: string;
  createdAt: string;
}

/**
 * The order a message list is shown in: stored messages by seq (the server's order), then the
 * optimistic ones in the order they were written.
 */
export function displayOrder(a: SeqEntry, b: SeqEntry): number {
  if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
  if (a.seq !== null) return -1;
  if (b.seq !== null) return 1;
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
}

/**
 * Merges stored messages into a list (Q1). The same message reaches a client several times
 * (its ack, the live `message:sent`, a `chat:sync` page, the handshake's page) in any order, so
 * the merge is idempotent and order-free: a seq or clientId already stored is dropped, an
 * optimistic entry with the clientId is replaced by the stored message, and the list stays in
 * {@link displayOrder}. Whatever the interleaving and duplication of deliveries, the same set
 * of stored messages gives the same list. Returns `list` itself when nothing changed, so a
 * caller can skip a re-render.
 */
export function mergeMessages(list: readonly MessageView[], incoming: readonly MessageView[]): MessageView[];
export function mergeMessages<T extends SeqEntry>(list: readonly T[], incoming: readonly MessageView[], toEntry: (m: MessageView) => T): T[];
export function mergeMessages<T extends SeqEntry>(list: readonly T[], incoming: readonly MessageView[], toEntry = (m: MessageView) => m as unknown as T): T[] {
  if (incoming.length === 0) return list as T[];
  const seqs = new Set<number>();
  const stored = new Set<string>();
  const optimistic = new Map<string, T>();
  for (const e of list) {
    if (e.seq === null) optimistic.set(e.clientId, e);
    else {
      seqs.add(e.seq);
      stored.add(e.clientId);
    }
  }
  const replaced = new Set<T>();
  const added: T[] = [];
  for (const m of incoming) {
    if (seqs.has(m.seq) || stored.has(m.clientId)) continue;
    const mine = optimistic.get(m.clientId);
    if (mine) replaced.add(mine);
    seqs.add(m.seq);
    stored.add(m.clientId);
    added.push(toEntry(m));
  }
  if (added.length === 0) return list as T[];
  const kept = replaced.size ? list.filter((e) => !replaced.has(e)) : list;
  return [...kept, ...added].sort(displayOrder);
}
