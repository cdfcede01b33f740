/**
 * Attention domain (P3, P5): what the panel needs beyond the chats themselves to say which chat
 * wants the operator — the account's idle time, the visitor input this panel has seen (typing),
 * and which alert sounds the operator wants (kept in this browser; the background plays them).
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { IDLE_AFTER_MINUTES } from '@@/shared/schemas/accounts';
import type { ConversationView } from '@@/shared/schemas/chats';
import type { TypingView } from '@@/shared/events';
import { accountApi } from '@/utils/api';
import { chatAttention, type ChatAttention } from '@/utils/attention';
import type { ServerClient } from '@/utils/serverClient';
import type { Session } from '@/utils/session';
import { acceptFromNotificationItem } from '@/utils/notifications';
import { soundPrefsItem, type SoundName, type SoundPrefs } from '@/utils/sounds';
import { useVisitorsStore } from './visitors';

export const useAttentionStore = defineStore('attention', () => {
  const visitors = useVisitorsStore();
  const idleAfterMinutes = ref<number>(IDLE_AFTER_MINUTES.fallback);
  /** The visitor's last input this panel saw, by conversation (typing; their messages move lastMessageAt). */
  const inputAt = ref<Record<string, number>>({});
  const sounds = ref<SoundPrefs>({ ...soundPrefsItem.fallback });
  /** P12: an Accept button on new chats' notifications (Chrome). */
  const acceptFromNotification = ref(acceptFromNotificationItem.fallback);

  /** P3: the chat's colour now, idle included. `now`: the shared one-second clock (composables/useNow.ts). */
  function stateOf(c: ConversationView, now: number): ChatAttention {
    const seen = visitors.get(c.visitorId)?.lastSeenAt;
    const lastInputAt = Math.max(inputAt.value[c.id] ?? -Infinity, seen ? Date.parse(seen) : -Infinity);
    return chatAttention(c, { now, idleAfterMs: idleAfterMinutes.value * 60_000, lastInputAt: Number.isFinite(lastInputAt) ? lastInputAt : null });
  }

  function onTyping(t: TypingView) {
    if (t.author === 'visitor' && t.typing) inputAt.value[t.conversationId] = Date.now();
  }

  async function loadSettings(session: Session) {
    const res = await accountApi.settings(session.serverUrl, session.token);
    if (res.ok) idleAfterMinutes.value = res.data.idleAfterMinutes;
  }

  function setSound(name: SoundName, on: boolean) {
    sounds.value = { ...sounds.value, [name]: on };
    void soundPrefsItem.setValue(sounds.value);
  }

  function setAcceptFromNotification(on: boolean) {
    acceptFromNotification.value = on;
    void acceptFromNotificationItem.setValue(on);
  }

  /** Subscribe; returns the unsubscribe. The idle time is read again on every reconnect (an admin may have changed it). */
  function start(session: Session, server: ServerClient): () => void {
    void soundPrefsItem.getValue().then((p) => (sounds.value = p));
    void acceptFromNotificationItem.getValue().then((on) => (acceptFromNotification.value = on));
    const offs = [
      acceptFromNotificationItem.watch((on) => (acceptFromNotification.value = on ?? false)),
      soundPrefsItem.watch((p) => (sounds.value = p ?? { ...soundPrefsItem.fallback })),
      server.on('typing:updated', onTyping),
      server.onStatus((status, previous) => {
        if (status === 'connected' && previous !== 'connected') void loadSettings(session);
      }),
    ];
    if (server.status === 'connected') void loadSettings(session);
    return () => {
      offs.forEach((off) => off());
      inputAt.value = {};
      idleAfterMinutes.value = IDLE_AFTER_MINUTES.fallback;
    };
  }

  return { idleAfterMinutes, inputAt, sounds, acceptFromNotification, stateOf, setSound, setAcceptFromNotification, start };
});
