/**
 * The operator's chat windows (P1): which chats are open in the docked pane, which one is
 * shown, the unread count of each, and whether the panel is on screen at all. The open chats and
 * the selection are kept in the browser session, so a panel reload shows the same chat (#5).
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { ConversationView } from '@@/shared/schemas/chats';
import { chatWindowsItem } from '@/utils/session';
import { useChatListStore } from './chatList';

export const useChatWindowsStore = defineStore('chatWindows', () => {
  const list = useChatListStore();
  const openIds = ref<string[]>([]);
  const activeId = ref<string | null>(null);
  const unread = ref<Record<string, number>>({});
  const panelVisible = ref(true);
  /** Saving starts once the saved windows were read back: an empty start must not overwrite them. */
  let persisting = false;

  const openChats = computed(() => openIds.value.map((id) => list.conversations[id]).filter((c): c is ConversationView => !!c));
  const active = computed(() => (activeId.value ? (list.conversations[activeId.value] ?? null) : null));
  const totalUnread = computed(() => Object.values(unread.value).reduce((a, b) => a + b, 0));

  watch(
    [openIds, activeId],
    () => {
      if (persisting) void chatWindowsItem.setValue({ openIds: [...openIds.value], activeId: activeId.value });
    },
    { deep: true },
  );

  /** Reads back the windows of this browser session (a panel reload), before the first chat list. */
  async function restore() {
    const saved = await chatWindowsItem.getValue();
    for (const id of saved.openIds) if (!openIds.value.includes(id)) openIds.value.push(id);
    if (saved.activeId && openIds.value.includes(saved.activeId)) activeId.value = saved.activeId;
    persisting = true;
  }

  /** Adds a chat to the open ones (at the end); the selection stays. */
  function add(id: string) {
    if (!openIds.value.includes(id)) openIds.value.push(id);
  }

  /** Opens and shows a chat: it is read now. */
  function show(id: string) {
    add(id);
    activeId.value = id;
    unread.value[id] = 0;
  }

  /** Takes chats out of the pane; if the one shown goes, the first one left is shown. */
  function close(ids: Iterable<string>) {
    const gone = new Set(ids);
    openIds.value = openIds.value.filter((id) => !gone.has(id));
    if (activeId.value && gone.has(activeId.value)) activeId.value = openIds.value[0] ?? null;
  }

  /** After the open chats changed: something is shown if anything is open. */
  function ensureActive() {
    if (!activeId.value || !openIds.value.includes(activeId.value)) activeId.value = openIds.value[0] ?? null;
  }

  /** A visitor wrote in chat `id`: unread unless the operator is looking at it. */
  function countUnread(id: string) {
    if (activeId.value === id && panelVisible.value) return;
    unread.value[id] = (unread.value[id] ?? 0) + 1;
  }

  function setPanelVisible(visible: boolean) {
    panelVisible.value = visible;
    if (visible && activeId.value) unread.value[activeId.value] = 0;
  }

  function forgetUnread(id: string) {
    delete unread.value[id];
  }

  /** Signed out: nothing open, nothing saved for the next operator. */
  function reset() {
    openIds.value = [];
    activeId.value = null;
    unread.value = {};
    if (persisting) void chatWindowsItem.removeValue();
    persisting = false;
  }

  return {
    openIds,
    activeId,
    unread,
    panelVisible,
    openChats,
    active,
    totalUnread,
    restore,
    add,
    show,
    close,
    ensureActive,
    countUnread,
    setPanelVisible,
    forgetUnread,
    reset,
  };
});
