/**
 * Read state on the panel (P5): a chat of mine is read while it is shown in a panel that is
 * visible and focused; the panel then tells the server the highest seq on screen (at most once a
 * second per chat). The server keeps it and tells the operator's other panels (`read:updated`),
 * so every panel of theirs counts the same unread messages: the visitor's messages after it.
 */
import { computed, type Ref } from 'vue';
import type { ReadView } from '@@/shared/schemas/reads';
import { unreadCount } from '@/utils/attention';
import type { ChatMessage } from '@/utils/messages';
import type { ServerClient } from '@/utils/serverClient';
import type { useChatListStore } from '@/stores/chatList';
import type { useChatWindowsStore } from '@/stores/chatWindows';

/** At most one `read:mark` per chat this often: reading a burst of messages is one request. */
export const READ_MARK_INTERVAL_MS = 1_000;

export interface ReadsOptions {
  server(): ServerClient | null;
  list: ReturnType<typeof useChatListStore>;
  windows: ReturnType<typeof useChatWindowsStore>;
  messages: Ref<Record<string, ChatMessage[]>>;
}

export function useReads({ server, list, windows, messages }: ReadsOptions) {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const sentAt = new Map<string, number>();
  /** The highest seq each chat was read to here and not yet acknowledged. */
  const toSend = new Map<string, number>();

  /** Unread visitor messages of each of my chats (none listed: none unread). */
  const unread = computed(() => {
    const out: Record<string, number> = {};
    for (const c of list.mine) {
      const n = unreadCount(messages.value[c.id] ?? [], c.operatorReadSeq);
      if (n) out[c.id] = n;
    }
    return out;
  });
  /** My chats with unread messages (P5: the badge counts chats, not messages). */
  const unreadChats = computed(() => Object.keys(unread.value).length);

  /** The chat shown is read if the panel is visible and focused: its highest seq goes to the server. */
  function markShown() {
    const id = windows.activeId;
    // W3: an internal chat shown over it hides it: not read.
    if (!id || windows.teamId || !windows.panelVisible || !windows.panelFocused) return;
    const c = list.conversations[id];
    if (!c || c.status === 'waiting' || c.operatorId !== list.operatorId) return;
    let top = 0;
    for (const m of messages.value[id] ?? []) if (m.seq !== null && m.seq > top) top = m.seq;
    if (top <= c.operatorReadSeq) return;
    list.markRead(id, top);
    toSend.set(id, Math.max(top, toSend.get(id) ?? 0));
    if (timers.has(id)) return;
    const wait = Math.max(0, (sentAt.get(id) ?? -Infinity) + READ_MARK_INTERVAL_MS - Date.now());
    timers.set(
      id,
      setTimeout(() => void send(id), wait),
    );
  }

  async function send(id: string) {
    timers.delete(id);
    const seq = toSend.get(id);
    const s = server();
    if (seq === undefined || !s) return;
    toSend.delete(id);
    sentAt.set(id, Date.now());
    const res = await s.request('read:mark', { conversationId: id, seq });
    if (res.ok) list.applyRead(res.data);
    // Offline or refused: the next time the chat is shown (or reconnected) it is marked again.
  }

  function onRead(r: ReadView) {
    list.applyRead(r);
  }

  function reset() {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
    sentAt.clear();
    toSend.clear();
  }

  return { unread, unreadChats, markShown, onRead, reset };
}
