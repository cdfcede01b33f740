/**
 * Typing, both ways (P5): the visitor's indicator as the server reports it (it expires, since
 * a visitor may go quiet without saying so), and the operator's own `typing:set`, sent at most every
 * few seconds while keys are pressed and turned off when idle or on send.
 */
import { ref } from 'vue';
import type { TypingView } from '@@/shared/events';
import type { ServerClient } from '@/utils/serverClient';

import { TYPING_EXPIRES_MS as TYPING_EXPIRE_MS, TYPING_IDLE_MS, TYPING_REPEAT_MS as TYPING_RESEND_MS } from '@@/shared/protocol';

const whisper = (internal: boolean) => (internal ? { internal: true } : {});

export function useTyping(options: { server(): ServerClient | null }) {
  /** Who is typing in each chat (visitors only), and until when the indicator holds. */
  const typing = ref<Record<string, { name: string; until: number }>>({});
  const sent = new Map<string, { at: number; timer: ReturnType<typeof setTimeout>; internal: boolean }>();

  function onTyping(t: TypingView) {
    if (t.author !== 'visitor') return;
    if (t.typing) typing.value[t.conversationId] = { name: t.name, until: Date.now() + TYPING_EXPIRE_MS };
    else delete typing.value[t.conversationId];
  }

  /** The visitor's message arrived, or the chat is gone: no indicator. */
  function clear(conversationId: string) {
    delete typing.value[conversationId];
  }

  /** Drop indicators whose visitor went quiet without saying so. */
  function expire(now = Date.now()) {
    for (const [id, t] of Object.entries(typing.value)) if (t.until < now) delete typing.value[id];
  }

  /**
   * Call on every keystroke in the composer: `typing:set` true at most every few seconds, false when
   * idle. `internal`: writing a whisper (W1): the server never tells the visitor.
   */
  function note(conversationId: string, internal = false) {
    const server = options.server();
    if (!server) return;
    const now = Date.now();
    const prev = sent.get(conversationId);
    if (prev) clearTimeout(prev.timer);
    const timer = setTimeout(() => stop(conversationId), TYPING_IDLE_MS);
    // Switching between whisper and message starts afresh, so the server hears which one it is.
    if (!prev || now - prev.at > TYPING_RESEND_MS || prev.internal !== internal) {
      if (prev && prev.internal !== internal) void server.request('typing:set', { conversationId, typing: false, ...whisper(prev.internal) });
      void server.request('typing:set', { conversationId, typing: true, ...whisper(internal) });
      sent.set(conversationId, { at: now, timer, internal });
    } else sent.set(conversationId, { at: prev.at, timer, internal });
  }

  function stop(conversationId: string) {
    const prev = sent.get(conversationId);
    if (!prev) return;
    clearTimeout(prev.timer);
    sent.delete(conversationId);
    void options.server()?.request('typing:set', { conversationId, typing: false, ...whisper(prev.internal) });
  }

  function reset() {
    for (const t of sent.values()) clearTimeout(t.timer);
    sent.clear();
    typing.value = {};
  }

  return { typing, onTyping, clear, expire, note, stop, reset };
}
