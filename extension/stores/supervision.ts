/**
 * Supervision (W4 monitoring, take over; W1 whispers): which colleagues' chats this panel
 * monitors, who watches each chat (`chat:watchers`: the "Watched by" of the chat's operator),
 * whether this operator may monitor (their role, or the account's "operators may monitor") and
 * take over, and the notice when a supervisor took one of this operator's chats over. The chats
 * themselves (list, messages, windows) are the chats store's: every open chat of the account is
 * in its list already, kept live by `chat:updated`.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch as watchRef } from 'vue';
import type { WatcherView } from '@@/shared/schemas/chats';
import { can, mayMonitor } from '@@/shared/policies';
import { accountApi } from '@/utils/api';
import type { ServerClient } from '@/utils/serverClient';
import { monitoringItem, type Session } from '@/utils/session';
import { strings } from '@/strings';
import { useChatListStore } from './chatList';
import { useChatsStore } from './chats';

export const useSupervisionStore = defineStore('supervision', () => {
  const list = useChatListStore();
  const chats = useChatsStore();
  let server: ServerClient | null = null;
  const session = ref<Session | null>(null);
  const operatorsMayMonitor = ref(false);
  /** Who watches each chat (not counting its own operator). */
  const watchers = ref<Record<string, WatcherView[]>>({});
  /** Chats this panel monitors (opened from the Monitor list). */
  const monitoring = ref<Record<string, true>>({});
  const busy = ref<Record<string, 'takingOver' | undefined>>({});
  /** The last thing to tell the operator: a take over of their chat, or a refusal. */
  const notice = ref<string | null>(null);
  /** Saving starts once the saved list was read back (an empty start must not overwrite it). */
  let persisting = false;
  watchRef(
    monitoring,
    (m) => {
      if (persisting) void monitoringItem.setValue(Object.keys(m));
    },
    { deep: true },
  );

  const role = computed(() => session.value?.operator.role ?? 'operator');
  const allowed = computed(() => mayMonitor(role.value, operatorsMayMonitor.value));
  const canTakeOver = computed(() => can(role.value, 'chat:takeover'));
  /** W4: the account's chats in progress that are not mine, oldest first. */
  const monitored = computed(() =>
    allowed.value
      ? Object.values(list.conversations)
          .filter((c) => c.status === 'active' && c.operatorId !== list.operatorId)
          .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
      : [],
  );

  function isMonitoring(id: string) {
    return !!monitoring.value[id];
  }

  /** Opens a colleague's chat to monitor it: its messages, whispers included, live from now on. */
  async function watch(id: string) {
    if (!server) return;
    monitoring.value[id] = true;
    chats.open(id);
    const res = await server.request('chat:watch', { conversationId: id });
    if (!res.ok) {
      delete monitoring.value[id];
      notice.value = res.error.message;
      return;
    }
    watchers.value[id] = res.data.watchers;
  }

  /** Stops monitoring and takes the chat out of the pane. */
  async function unwatch(id: string) {
    delete monitoring.value[id];
    chats.dismiss(id);
    await server?.request('chat:unwatch', { conversationId: id });
  }

  async function takeOver(id: string) {
    if (!server) return false;
    busy.value[id] = 'takingOver';
    notice.value = null;
    try {
      const res = await server.request('chat:takeover', { conversationId: id });
      if (!res.ok) {
        notice.value = res.error.message;
        return false;
      }
      // Mine now: the chats store opens it as mine when chat:updated says so (it may have already).
      delete monitoring.value[id];
      list.upsert(res.data);
      chats.open(id);
      return true;
    } finally {
      delete busy.value[id];
    }
  }

  async function loadSettings(s: Session) {
    const res = await accountApi.settings(s.serverUrl, s.token);
    if (res.ok) operatorsMayMonitor.value = res.data.operatorsMayMonitor;
  }

  /**
   * After a reconnect the server has forgotten what this socket watched, and after a panel reload
   * this panel had (#7): watch again (it re-announces). A chat gone meanwhile is dropped.
   */
  function rewatch() {
    for (const id of Object.keys(monitoring.value)) {
      void server?.request('chat:watch', { conversationId: id }).then((res) => {
        if (res.ok) watchers.value[id] = res.data.watchers;
        else if (res.error.code === 'not_found' || res.error.code === 'forbidden') delete monitoring.value[id];
      });
    }
  }

  /** The chats monitored before a panel reload, watched again once the connection is up. */
  async function restore(client: ServerClient) {
    const saved = await monitoringItem.getValue();
    if (server !== client) return;
    for (const id of saved) monitoring.value[id] = true;
    persisting = true;
    if (saved.length && client.status === 'connected') rewatch();
  }

  function start(s: Session, client: ServerClient): () => void {
    server = client;
    session.value = s;
    const offs = [
      client.on('chat:watchers', (w) => (watchers.value[w.conversationId] = w.watchers)),
      client.on('chat:reassigned', ({ conversation, byName }) => {
        notice.value = strings.supervision.takenOver(byName, conversation.visitorName || strings.visitors.defaultName);
        list.upsert(conversation);
      }),
      client.onStatus((status, previous) => {
        if (status === 'connected' && previous !== 'connected') {
          void loadSettings(s);
          rewatch();
        }
      }),
    ];
    if (client.status === 'connected') void loadSettings(s);
    void restore(client);
    return () => {
      if (persisting) void monitoringItem.removeValue();
      persisting = false;
      offs.forEach((off) => off());
      server = null;
      session.value = null;
      operatorsMayMonitor.value = false;
      watchers.value = {};
      monitoring.value = {};
      busy.value = {};
      notice.value = null;
    };
  }

  return { operatorsMayMonitor, watchers, monitoring, busy, notice, allowed, canTakeOver, monitored, isMonitoring, watch, unwatch, takeOver, start };
});
