/**
 * The messages of each chat the panel shows (Q1 on the client): the history is loaded once
 * with `chat:get`, then kept gap-free by seq. Live `message:sent`, acks of the operator's own sends
 * and `chat:sync` pages all merge into one list per chat (utils/messages.ts), each seq once.
 */
import { ref } from 'vue';
import type { ConversationView, MessageView } from '@@/shared/schemas/chats';
import { MAX_SYNC_PAGES } from '@@/shared/protocol';
import { contiguousSeq, hasGap, mergeMessages, type ChatMessage } from '@/utils/messages';
import type { ServerClient } from '@/utils/serverClient';

/** Safety stop for catch-up paging (a page is at least one message, so this is plenty). */
/** How long a chat:updated ahead of the messages held waits for its message:sent before a chat:sync. */
export const CATCH_UP_GRACE_MS = 300;

export interface TimelineOptions {
  /** The server while the chats store runs, else null. */
  server(): ServerClient | null;
  /** The last seq the server says chat `id` has (from the chat list). */
  lastSeq(id: string): number;
  /** `chat:get` answers with the conversation too: hand it to the list. */
  onConversation(c: ConversationView): void;
}

export function useTimeline(options: TimelineOptions) {
  const messages = ref<Record<string, ChatMessage[]>>({});
  const historyLoaded = ref<Record<string, boolean>>({});
  const syncing = new Map<string, Promise<void>>();
  const catchUpTimers = new Map<string, ReturnType<typeof setTimeout>>();

  function merge(id: string, incoming: MessageView[]) {
    const current = messages.value[id] ?? [];
    const next = mergeMessages(current, incoming);
    if (next !== current || !messages.value[id]) messages.value[id] = next;
    return next;
  }

  /** Changes one chat's list (the operator's own unsent messages: added, marked, removed). */
  function update(id: string, change: (list: ChatMessage[]) => ChatMessage[]) {
    messages.value[id] = change(messages.value[id] ?? []);
  }

  /** Load the whole history once, then catch up from the last seq held. */
  async function load(id: string) {
    const server = options.server();
    if (!server) return;
    if (!historyLoaded.value[id]) {
      const res = await server.request('chat:get', { conversationId: id });
      if (!res.ok) return;
      options.onConversation(res.data.conversation);
      merge(id, res.data.messages);
      historyLoaded.value[id] = true;
    }
    await sync(id);
  }

  /** `chat:sync` from the end of the unbroken run of seqs held, page after page until caught up. */
  function sync(id: string): Promise<void> {
    const running = syncing.get(id);
    if (running) return running;
    const run = (async () => {
      for (let page = 0; page < MAX_SYNC_PAGES; page++) {
        const server = options.server();
        if (!server) return;
        const afterSeq = contiguousSeq(messages.value[id] ?? []);
        const res = await server.request('chat:sync', { conversationId: id, afterSeq });
        if (!res.ok) return;
        const list = merge(id, res.data);
        if (res.data.length === 0 || contiguousSeq(list) >= options.lastSeq(id)) return;
      }
    })().finally(() => syncing.delete(id));
    syncing.set(id, run);
    return run;
  }

  /** A live message of a chat shown here: merged, and a gap before it is fetched. */
  function receive(m: MessageView) {
    const id = m.conversationId;
    if (!historyLoaded.value[id]) return;
    if (hasGap(merge(id, [m]))) void sync(id);
  }

  /**
   * A chat shown here moved past the messages held (its message:sent didn't reach this socket, e.g.
   * it was sent before this panel watched the chat): fetch the rest. A moment's grace first, since
   * the live message usually follows on its own (#3).
   */
  function catchUpLater(id: string) {
    if (!historyLoaded.value[id]) return;
    const behind = () => options.lastSeq(id) > contiguousSeq(messages.value[id] ?? []);
    if (!behind() || catchUpTimers.has(id)) return;
    catchUpTimers.set(
      id,
      setTimeout(() => {
        catchUpTimers.delete(id);
        if (options.server() && historyLoaded.value[id] && behind()) void sync(id);
      }, CATCH_UP_GRACE_MS),
    );
  }

  /** The server may hold messages this chat's list lacks (it was closed meanwhile): load it again. */
  function reload(id: string) {
    historyLoaded.value[id] = false;
  }

  function forget(id: string) {
    delete messages.value[id];
    delete historyLoaded.value[id];
  }

  function stop() {
    for (const t of catchUpTimers.values()) clearTimeout(t);
    catchUpTimers.clear();
  }

  function reset() {
    stop();
    messages.value = {};
    historyLoaded.value = {};
  }

  return { messages, merge, update, load, sync, receive, catchUpLater, reload, forget, stop, reset };
}

export type Timeline = ReturnType<typeof useTimeline>;
