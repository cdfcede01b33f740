/**
 * Internal chats between operators (W2, W3, #7): the operator's chats with colleagues, their
 * messages, typing, read state, and the outbox. The same delivery guarantees as visitor chats
 * (Q1): a message is shown at once as sending, kept in IndexedDB (its own table) until the server
 * acknowledges it, resent with the same clientId after a reload or reconnect; on every
 * (re)connect `teamchat:list`, then `teamchat:sync` from the last seq held for each chat loaded.
 * Which of them are open in the pane, and shown, is the chat windows store's (`teamIds`, `teamId`).
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { isPermanentSendError } from '@@/shared/errors';
import type { TeamChatView, TeamMessageView, TeamTypingView } from '@@/shared/schemas/teamChats';
import type { TeamOutboxEntry, TeamOutboxStore } from '@/utils/db';
import { newClientId } from '@/utils/messages';
import { isTransportError } from '@/utils/protocol';
import type { ServerClient } from '@/utils/serverClient';
import { useChatWindowsStore } from './chatWindows';
import { strings } from '@/strings';

/** A message as the panel holds it: stored (`seq`), or the operator's own on its way. */
export interface TeamMessage extends Omit<TeamMessageView, 'seq'> {
  seq: number | null;
  state: 'sent' | 'sending' | 'failed';
  /** Why it failed for good (the server's message). */
  error?: string;
}

export interface TeamChatsStartOptions {
  server: ServerClient;
  operatorId: string;
  operatorName: string;
  outbox: TeamOutboxStore;
}

const TYPING_MS = 6000;
const TYPING_SEND_EVERY_MS = 3000;
const RETRY_MS = 3000;

/** Stored messages in seq order, then the ones still sending; a stored clientId replaces its pending copy. */
function merge(current: readonly TeamMessage[], incoming: readonly TeamMessageView[]): TeamMessage[] {
  const bySeq = new Map<number, TeamMessage>();
  const pending: TeamMessage[] = [];
  const storedIds = new Set(incoming.map((m) => m.clientId));
  for (const m of current) {
    if (m.seq !== null) bySeq.set(m.seq, m);
    else if (!storedIds.has(m.clientId)) pending.push(m);
  }
  for (const m of incoming) bySeq.set(m.seq, { ...m, state: 'sent' });
  return [...[...bySeq.values()].sort((a, b) => a.seq! - b.seq!), ...pending];
}

export const useTeamChatsStore = defineStore('teamChats', () => {
  const windows = useChatWindowsStore();
  let ctx: TeamChatsStartOptions | null = null;
  const chats = ref<Record<string, TeamChatView>>({});
  const messages = ref<Record<string, TeamMessage[]>>({});
  const typing = ref<Record<string, { name: string; until: number }>>({});
  const loaded = ref(false);
  const notice = ref<string | null>(null);
  const me = ref<string | null>(null);
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let flushing: Promise<void> | null = null;
  const typingSentAt = new Map<string, number>();

  /** Latest activity first; a chat nobody wrote in yet is listed only while it is open here. */
  const list = computed(() =>
    Object.values(chats.value)
      .filter((c) => c.lastSeq > 0 || windows.teamIds.includes(c.id))
      .sort((a, b) => (b.lastMessageAt ?? b.createdAt).localeCompare(a.lastMessageAt ?? a.createdAt)),
  );
  const openChats = computed(() => windows.teamIds.map((id) => chats.value[id]).filter((c): c is TeamChatView => !!c));
  const shown = computed(() => (windows.teamId ? (chats.value[windows.teamId] ?? null) : null));

  function myRead(c: TeamChatView) {
    return c.members.find((m) => m.operatorId === me.value)?.readSeq ?? 0;
  }
  /** Messages of colleagues I have not read (mine count as read on the server). */
  const unread = computed<Record<string, number>>(() => Object.fromEntries(Object.values(chats.value).map((c) => [c.id, Math.max(0, c.lastSeq - myRead(c))])));
  const unreadChats = computed(() => Object.values(unread.value).filter((n) => n > 0).length);

  /** The colleagues in a chat (everyone but me), by name. */
  function others(c: TeamChatView | null | undefined): string[] {
    return (c?.members ?? []).filter((m) => m.operatorId !== me.value).map((m) => m.name);
  }

  /** Read positions only move forward: an older view never undoes a newer one. */
  function upsert(c: TeamChatView) {
    const prev = chats.value[c.id];
    const members = prev
      ? c.members.map((m) => ({ ...m, readSeq: Math.max(m.readSeq, prev.members.find((p) => p.operatorId === m.operatorId)?.readSeq ?? 0) }))
      : c.members;
    chats.value[c.id] = { ...c, lastSeq: Math.max(c.lastSeq, prev?.lastSeq ?? 0), members };
  }

  function receive(chatId: string, incoming: TeamMessageView[]) {
    messages.value[chatId] = merge(messages.value[chatId] ?? [], incoming);
  }

  function lastHeld(chatId: string) {
    let top = 0;
    for (const m of messages.value[chatId] ?? []) if (m.seq !== null && m.seq > top) top = m.seq;
    return top;
  }

  /** Catch-up from the last seq held, page after page. */
  async function sync(chatId: string) {
    if (!ctx) return;
    for (;;) {
      const after = lastHeld(chatId);
      const res = await ctx.server.request('teamchat:sync', { teamChatId: chatId, afterSeq: after });
      if (!res.ok) return;
      receive(chatId, res.data);
      if (res.data.length < 500) return;
    }
  }

  async function load(chatId: string) {
    if (!ctx) return;
    if (messages.value[chatId]) return sync(chatId);
    const res = await ctx.server.request('teamchat:get', { teamChatId: chatId });
    if (!res.ok) {
      // Gone (or never ours): out of the pane.
      if (!isTransportError(res.error) && res.error.code === 'not_found') windows.closeTeam(chatId);
      return;
    }
    upsert(res.data.chat);
    receive(chatId, res.data.messages);
    await restorePending(chatId);
  }

  /** The outbox's entries of a chat, shown as sending (or failed) after a reload. */
  async function restorePending(chatId: string) {
    if (!ctx) return;
    const entries = (await ctx.outbox.all()).filter((e) => e.teamChatId === chatId);
    messages.value[chatId] = [
      ...(messages.value[chatId] ?? []).filter((m) => m.seq !== null || !entries.some((e) => e.clientId === m.clientId)),
      ...entries.map(pendingOf),
    ];
    messages.value[chatId] = merge(messages.value[chatId], []);
  }

  function pendingOf(e: TeamOutboxEntry): TeamMessage {
    return {
      teamChatId: e.teamChatId,
      seq: null,
      clientId: e.clientId,
      operatorId: me.value,
      authorName: e.authorName,
      body: e.body,
      ref: null,
      createdAt: e.createdAt,
      state: e.rejected ? 'failed' : 'sending',
      ...(e.rejected ? { error: e.rejected.message } : {}),
    };
  }

  async function refresh() {
    if (!ctx) return;
    await windows.restore();
    const res = await ctx?.server.request('teamchat:list', {});
    if (!res?.ok) return;
    for (const c of res.data) upsert(c);
    loaded.value = true;
    // Open chats that are no longer ours (or gone) leave the pane.
    const known = new Set(res.data.map((c) => c.id));
    for (const id of [...windows.teamIds]) if (!known.has(id)) windows.closeTeam(id);
    await Promise.all(windows.teamIds.map((id) => load(id)));
    for (const id of Object.keys(messages.value)) if (!windows.teamIds.includes(id)) void sync(id);
    await flush();
    markShown();
  }

  // ── the outbox ─────────────────────────────────────────────────────────────
  function flush(): Promise<void> {
    flushing ??= (async () => {
      try {
        if (!ctx) return;
        for (const e of await ctx.outbox.all()) {
          if (e.rejected || !ctx) continue;
          const res = await ctx.server.request('teamchat:send', { teamChatId: e.teamChatId, clientId: e.clientId, body: e.body });
          if (!ctx) return;
          if (res.ok) {
            await ctx.outbox.delete(e.clientId);
            receive(e.teamChatId, [res.data]);
          } else if (!isTransportError(res.error) && isPermanentSendError(res.error.code)) {
            const rejected = { ...e, rejected: { code: res.error.code, message: res.error.message } };
            await ctx.outbox.put(rejected);
            messages.value[e.teamChatId] = (messages.value[e.teamChatId] ?? []).map((m) =>
              m.clientId === e.clientId && m.seq === null ? { ...m, state: 'failed', error: res.error.message } : m,
            );
          } else {
            // Offline or a server error for now: kept, and tried again (on reconnect, or soon).
            retryTimer ??= setTimeout(() => {
              retryTimer = null;
              if (ctx?.server.status === 'connected') void flush();
            }, RETRY_MS);
            return;
          }
        }
      } finally {
        flushing = null;
      }
    })();
    return flushing;
  }

  async function send(chatId: string, body: string) {
    const text = body.trim();
    if (!ctx || !text) return;
    stopTyping(chatId);
    const entry: TeamOutboxEntry = {
      clientId: newClientId(),
      teamChatId: chatId,
      body: text,
      authorName: ctx.operatorName,
      createdAt: new Date().toISOString(),
    };
    await ctx.outbox.put(entry);
    messages.value[chatId] = [...(messages.value[chatId] ?? []), pendingOf(entry)];
    await flush();
  }

  async function discard(chatId: string, clientId: string) {
    await ctx?.outbox.delete(clientId);
    messages.value[chatId] = (messages.value[chatId] ?? []).filter((m) => !(m.seq === null && m.clientId === clientId));
  }

  // ── opening ───────────────────────────────────────────────────────────────
  function open(chatId: string) {
    windows.showTeam(chatId);
    void load(chatId);
  }

  function close(chatId: string) {
    windows.closeTeam(chatId);
    windows.ensureActive();
  }

  /** W3: "Message" on a colleague: the chat with them (the existing one if any), shown. */
  async function message(operatorId: string): Promise<boolean> {
    if (!ctx) return false;
    notice.value = null;
    const res = await ctx.server.request('teamchat:start', { operatorId });
    if (!res.ok) {
      notice.value = res.error.message;
      return false;
    }
    upsert(res.data.chat);
    receive(res.data.chat.id, res.data.messages);
    open(res.data.chat.id);
    return true;
  }

  /**
   * W2: Respond on a whisper: the chat with its author, the whisper quoted in it, shown. Resolves
   * with why it failed (shown in the visitor chat where Respond was clicked), or null.
   */
  async function respond(conversationId: string, seq: number): Promise<string | null> {
    if (!ctx) return strings.visitors.notConnected;
    const res = await ctx.server.request('teamchat:respond', { conversationId, seq, clientId: newClientId() });
    if (!res.ok) return res.error.message;
    upsert(res.data.chat);
    receive(res.data.chat.id, res.data.messages);
    open(res.data.chat.id);
    return null;
  }

  // ── read state and typing ─────────────────────────────────────────────────
  /** The chat shown is read while the panel is visible and focused. */
  function markShown() {
    const c = shown.value;
    if (!ctx || !c || !windows.panelVisible || !windows.panelFocused) return;
    const top = lastHeld(c.id);
    if (top <= myRead(c)) return;
    chats.value[c.id] = { ...c, members: c.members.map((m) => (m.operatorId === me.value ? { ...m, readSeq: top } : m)) };
    void ctx.server.request('teamchat:read', { teamChatId: c.id, seq: top }).then((res) => res.ok && upsert(res.data));
  }
  watch([() => windows.teamId, () => windows.panelVisible, () => windows.panelFocused, () => (windows.teamId ? lastHeld(windows.teamId) : 0)], markShown);

  function noteTyping(chatId: string) {
    const now = Date.now();
    if (!ctx || now - (typingSentAt.get(chatId) ?? 0) < TYPING_SEND_EVERY_MS) return;
    typingSentAt.set(chatId, now);
    void ctx.server.request('teamchat:type', { teamChatId: chatId, typing: true });
  }

  function stopTyping(chatId: string) {
    if (!ctx || !typingSentAt.has(chatId)) return;
    typingSentAt.delete(chatId);
    void ctx.server.request('teamchat:type', { teamChatId: chatId, typing: false });
  }

  function onTyped(t: TeamTypingView) {
    if (t.typing) typing.value[t.teamChatId] = { name: t.name, until: Date.now() + TYPING_MS };
    else delete typing.value[t.teamChatId];
  }

  function expireTyping() {
    const now = Date.now();
    for (const [id, t] of Object.entries(typing.value)) if (t.until <= now) delete typing.value[id];
  }

  // ── lifecycle ─────────────────────────────────────────────────────────────
  function start(options: TeamChatsStartOptions): () => void {
    ctx = options;
    me.value = options.operatorId;
    const offs = [
      options.server.on('teamchat:sent', ({ chat, message }) => {
        upsert(chat);
        if (messages.value[chat.id]) receive(chat.id, [message]);
        if (message.operatorId !== me.value) delete typing.value[chat.id];
      }),
      options.server.on('teamchat:updated', upsert),
      options.server.on('teamchat:typed', onTyped),
      // The notification of a colleague's message was clicked (background/teamChats.ts).
      options.server.onOpenChat((key) => key.startsWith('team:') && open(key.slice('team:'.length))),
      options.server.onStatus((status, previous) => {
        if (status === 'connected' && (previous !== 'connected' || !loaded.value)) void refresh();
      }),
    ];
    const ticker = setInterval(expireTyping, 2000);
    return () => {
      offs.forEach((off) => off());
      clearInterval(ticker);
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      ctx = null;
      chats.value = {};
      messages.value = {};
      typing.value = {};
      loaded.value = false;
      me.value = null;
    };
  }

  return {
    chats,
    messages,
    typing,
    loaded,
    notice,
    me,
    list,
    openChats,
    shown,
    unread,
    unreadChats,
    others,
    start,
    refresh,
    open,
    close,
    message,
    respond,
    send,
    discard,
    noteTyping,
    stopTyping,
    markShown,
  };
});
