/**
 * The chat list (P5): every waiting and open conversation the operator can see, at its newest
 * known state, and what is in flight on each (accepting, closing). The chats store (./chats.ts)
 * feeds it from the server; the Chats tab, the docked chat window and the badges read it.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConversationView, MessageView } from '@@/shared/schemas/chats';
import type { ReadView } from '@@/shared/schemas/reads';
import { withLastMessage } from '@@/shared/protocol';

const STATUS_ORDER: Record<ConversationView['status'], number> = { waiting: 0, active: 1, closed: 2 };
const byCreation = (a: ConversationView, b: ConversationView) => (a.createdAt < b.createdAt ? -1 : 1);

export const useChatListStore = defineStore('chatList', () => {
  const conversations = ref<Record<string, ConversationView>>({});
  /** The first `chat:list` has answered (before it, "no chats" would be a guess). */
  const loaded = ref(false);
  const busy = ref<Record<string, 'accepting' | 'closing' | 'reopening' | undefined>>({});
  /** The last refusal of accept or close, in the server's words. */
  const notice = ref<string | null>(null);
  /** Whose chats are "mine": the signed-in operator. */
  const operatorId = ref<string | null>(null);

  const all = computed(() => Object.values(conversations.value));
  const waiting = computed(() => all.value.filter((c) => c.status === 'waiting').sort(byCreation));
  const mine = computed(() => all.value.filter((c) => isMine(c)).sort(byCreation));

  function isMine(c: ConversationView) {
    return c.status === 'active' && c.operatorId === operatorId.value;
  }

  /**
   * Stores `c` unless it is a stale copy (an answer computed before a live update): status only
   * moves forward (waiting → active → closed), and lastSeq only grows — except that a new wait
   * (a transfer back to a department's queue, #6: a later `waitingSince`) starts over at waiting,
   * and a reopened chat (P5) goes from closed back to active.
   * Returns whether it was stored.
   */
  function upsert(c: ConversationView): boolean {
    const prev = conversations.value[c.id];
    const newWait = !!prev && c.waitingSince > prev.waitingSince;
    // P5 (#6): a closed chat reopened is active again, with its reopening line after the close's.
    const reopened = !!prev && prev.status === 'closed' && c.status === 'active' && c.lastSeq > prev.lastSeq;
    if (prev && !newWait && !reopened && (STATUS_ORDER[c.status] < STATUS_ORDER[prev.status] || (c.status === prev.status && c.lastSeq < prev.lastSeq)))
      return false;
    // Every change of status stores a line, so a copy behind in lastSeq is older (a close before a reopening).
    if (prev && c.lastSeq < prev.lastSeq) return false;
    // P5: read positions only move forward; a copy made before the latest read:updated keeps it.
    conversations.value[c.id] = prev ? withReads(c, prev) : c;
    return true;
  }

  /** P5: a read position moved (this operator's on another panel, or the visitor's). */
  function applyRead(r: ReadView) {
    const c = conversations.value[r.conversationId];
    if (c) conversations.value[c.id] = withReads(c, r);
  }

  /** A fresh `chat:list`. Chats in `keep` (open in the pane) that the server no longer lists stay; their ids are returned. */
  function replace(list: readonly ConversationView[], keep: readonly string[]): string[] {
    const next: Record<string, ConversationView> = {};
    for (const c of list) next[c.id] = c;
    const gone = keep.filter((id) => !next[id] && conversations.value[id]);
    for (const id of gone) next[id] = conversations.value[id]!;
    conversations.value = next;
    loaded.value = true;
    return gone;
  }

  /** A stored message moves its chat on (preview, who spoke last) before the server's chat:updated says so. */
  function bump(m: MessageView) {
    const c = conversations.value[m.conversationId];
    if (c) conversations.value[c.id] = withLastMessage(c, m);
  }

  /** This panel read chat `id` up to `seq` (before the server confirms it). */
  function markRead(id: string, seq: number) {
    const c = conversations.value[id];
    if (c && seq > c.operatorReadSeq) conversations.value[id] = { ...c, operatorReadSeq: seq };
  }

  function remove(id: string) {
    delete conversations.value[id];
  }

  function reset() {
    conversations.value = {};
    loaded.value = false;
    busy.value = {};
    notice.value = null;
    operatorId.value = null;
  }

  return { conversations, loaded, busy, notice, operatorId, waiting, mine, isMine, upsert, applyRead, markRead, replace, bump, remove, reset };
});

function withReads(c: ConversationView, r: Pick<ConversationView, 'operatorReadSeq' | 'visitorReadSeq'>): ConversationView {
  if (c.operatorReadSeq >= r.operatorReadSeq && c.visitorReadSeq >= r.visitorReadSeq) return c;
  return { ...c, operatorReadSeq: Math.max(c.operatorReadSeq, r.operatorReadSeq), visitorReadSeq: Math.max(c.visitorReadSeq, r.visitorReadSeq) };
}
