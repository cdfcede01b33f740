/**
 * P12 "Insert into chat": text selected on a page arrives from the background's context menu and
 * goes into the reply box of the chat shown if it is one of mine in progress, else of my only
 * chat in progress; with several and none of them shown, the operator picks one (ChatInsertPicker).
 * Nothing is sent: the text waits in the reply box, the cursor after it.
 */
import { defineStore } from 'pinia';
import { nextTick, ref, watch } from 'vue';
import { usePanelCommands } from '@/composables/usePanelCommands';
import { strings } from '@/strings';
import type { ServerClient } from '@/utils/serverClient';
import { useChatListStore } from './chatList';
import { useChatsStore } from './chats';
import { useChatWindowsStore } from './chatWindows';

export const useInsertIntoChatStore = defineStore('insertIntoChat', () => {
  const list = useChatListStore();
  const windows = useChatWindowsStore();
  const chats = useChatsStore();
  const commands = usePanelCommands();
  /** Text waiting for the operator to pick a chat (the picker is open while set). */
  const picking = ref<string | null>(null);

  /** A panel opened by the click has no chat list yet: the text waits for it. */
  function whenLoaded(): Promise<void> {
    if (list.loaded) return Promise.resolve();
    return new Promise((resolve) => {
      const stop = watch(
        () => list.loaded,
        (loaded) => {
          if (!loaded) return;
          stop();
          resolve();
        },
      );
    });
  }

  async function receive(text: string) {
    await whenLoaded();
    const shown = windows.active;
    if (shown && list.isMine(shown)) return deliver(shown.id, text);
    const mine = list.mine;
    if (mine.length === 1) return deliver(mine[0]!.id, text);
    if (mine.length === 0) {
      list.notice = strings.contextMenu.noChat;
      return;
    }
    picking.value = text;
  }

  /** Shows the chat (as the chat list's Open does), then hands the text to its composer (rendered on the next tick). */
  async function deliver(conversationId: string, text: string) {
    picking.value = null;
    chats.open(conversationId);
    await nextTick();
    if (!commands.toComposer('insert', text)) {
      await new Promise((r) => setTimeout(r, 0));
      commands.toComposer('insert', text);
    }
  }

  /** The operator picked a chat in the picker. */
  function pick(conversationId: string) {
    const text = picking.value;
    if (text !== null) void deliver(conversationId, text);
  }

  function cancel() {
    picking.value = null;
  }

  /** Subscribe; returns the unsubscribe. */
  function start(server: ServerClient): () => void {
    const off = server.onInsertText((text) => void receive(text));
    return () => {
      off();
      picking.value = null;
    };
  }

  return { picking, pick, cancel, start, receive };
});
