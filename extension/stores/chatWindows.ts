/**
 * The operator's chat windows (P1): which chats are open in the docked pane, which one is
 * shown, and whether the panel is on screen and focused (P5: a chat is read only then). The open chats and
 * the selection are kept in the browser session, so a panel reload shows the same chat (#5).
 * W3 (#7): internal chats between operators open in the same pane, beside the visitor chats:
 * `teamIds`, and `teamId` when one of them is shown (over the visitor chat that was).
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
  const teamIds = ref<string[]>([]);
  /** The internal chat shown in the pane, or null: then the visitor chat `activeId` is. */
  const teamId = ref<string | null>(null);
  const panelVisible = ref(true);
  /** The panel has the keyboard focus (P5: what counts as reading the chat shown). */
  const panelFocused = ref(true);
  /** Saving starts once the saved windows were read back: an empty start must not overwrite them. */
  let persisting = false;

  const openChats = computed(() => openIds.value.map((id) => list.conversations[id]).filter((c): c is ConversationView => !!c));
  const active = computed(() => (activeId.value ? (list.conversations[activeId.value] ?? null) : null));

  watch(
    [openIds, activeId, teamIds, teamId],
    () => {
      if (persisting)
        void chatWindowsItem.setValue({
          openIds: [...openIds.value],
          activeId: activeId.value,
          ...(teamIds.value.length ? { teamIds: [...teamIds.value], teamId: teamId.value } : {}),
        });
    },
    { deep: true },
  );

  let restoring: Promise<void> | null = null;
  /** Reads back the windows of this browser session (a panel reload), before the first chat list; once (every store waits on the same read). */
  function restore(): Promise<void> {
    restoring ??= readBack();
    return restoring;
  }

  async function readBack() {
    const saved = await chatWindowsItem.getValue();
    for (const id of saved.openIds) if (!openIds.value.includes(id)) openIds.value.push(id);
    if (saved.activeId && openIds.value.includes(saved.activeId)) activeId.value = saved.activeId;
    for (const id of saved.teamIds ?? []) if (!teamIds.value.includes(id)) teamIds.value.push(id);
    if (saved.teamId && teamIds.value.includes(saved.teamId)) teamId.value = saved.teamId;
    persisting = true;
  }

  /** Adds a chat to the open ones (at the end); the selection stays. */
  function add(id: string) {
    if (!openIds.value.includes(id)) openIds.value.push(id);
  }

  /** Opens and shows a chat (the chats store marks it read while the panel is visible and focused). */
  function show(id: string) {
    add(id);
    activeId.value = id;
    teamId.value = null;
  }

  /** W3: opens and shows an internal chat. */
  function showTeam(id: string) {
    if (!teamIds.value.includes(id)) teamIds.value.push(id);
    teamId.value = id;
  }

  /** W3: takes an internal chat out of the pane; the visitor chat shown before comes back. */
  function closeTeam(id: string) {
    teamIds.value = teamIds.value.filter((t) => t !== id);
    if (teamId.value === id) teamId.value = null;
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

  function setPanelVisible(visible: boolean) {
    panelVisible.value = visible;
  }

  function setPanelFocused(focused: boolean) {
    panelFocused.value = focused;
  }

  /** Signed out: nothing open, nothing saved for the next operator. */
  function reset() {
    openIds.value = [];
    activeId.value = null;
    teamIds.value = [];
    teamId.value = null;
    restoring = null;
    if (persisting) void chatWindowsItem.removeValue();
    persisting = false;
  }

  return {
    openIds,
    activeId,
    teamIds,
    teamId,
    panelVisible,
    panelFocused,
    openChats,
    active,
    restore,
    add,
    show,
    showTeam,
    closeTeam,
    close,
    ensureActive,
    setPanelVisible,
    setPanelFocused,
    reset,
  };
});
