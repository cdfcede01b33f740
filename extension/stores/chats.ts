/**
 * Chats domain (SPEC P5, Q1): waiting and open conversations, their messages, the operator's open
 * chat windows, unread counts, typing, and the outbox of unacknowledged messages. Owns its socket
 * listeners. On every (re)connect: `chat:list`, then `chat:sync` from the last seq held for each
 * open chat (paging until caught up), then the outbox is resent with the same clientIds.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConversationView, MessageView } from '@@/shared/schemas/chats';
import type { TypingView } from '@@/shared/events';
import {
  addPending,
  contiguousSeq,
  hasGap,
  mergeMessages,
  newClientId,
  removeMessage,
  setDelivery,
  type ChatMessage,
} from '@/utils/messages';
import { flushOutbox, isPermanentFailure, markRejected, pendingEntries, type OutboxEntry, type OutboxStore } from '@/utils/outbox';
import type { ClientError, Result } from '@/utils/protocol';
import type { ServerClient } from '@/utils/serverClient';
import { firstLine } from '@/utils/format';

/** The colour state of a chat for the operator (SPEC P3): red, yellow, green, or closed. */
export type ChatAttention = 'waiting' | 'needs_reply' | 'replied' | 'closed';

export function chatAttention(c: ConversationView): ChatAttention {
  if (c.status === 'waiting') return 'waiting';
  if (c.status === 'closed') return 'closed';
  return c.lastAuthor === 'operator' ? 'replied' : 'needs_reply';
}

const STATUS_ORDER: Record<ConversationView['status'], number> = { waiting: 0, active: 1, closed: 2 };

/** Safety stop for catch-up paging (a page is at least one message, so this is plenty). */
const MAX_SYNC_PAGES = 200;
const TYPING_IDLE_MS = 4000;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;
const TYPING_RESEND_MS = 3000;
const TYPING_EXPIRE_MS = 8000;
/** How long a chat:updated ahead of the messages held waits for its message:sent before a chat:sync. */
export const CATCH_UP_GRACE_MS = 300;

export interface ChatsStartOptions {
  server: ServerClient;
  operatorId: string;
  operatorName: string;
  outbox: OutboxStore;
}

export const useChatsStore = defineStore('chats', () => {
  const conversations = ref<Record<string, ConversationView>>({});
  const messages = ref<Record<string, ChatMessage[]>>({});
  const historyLoaded = ref<Record<string, boolean>>({});
  const openIds = ref<string[]>([]);
  const activeId = ref<string | null>(null);
  const unread = ref<Record<string, number>>({});
  const typing = ref<Record<string, { name: string; until: number }>>({});
  const busy = ref<Record<string, 'accepting' | 'closing' | undefined>>({});
  const loaded = ref(false);
  const notice = ref<string | null>(null);
  const panelVisible = ref(true);

  let ctx: ChatsStartOptions | null = null;
  let flushing: Promise<void> | null = null;
  const syncing = new Map<string, Promise<void>>();
  const typingSent = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();
  const catchUpTimers = new Map<string, ReturnType<typeof setTimeout>>();

  const me = () => ctx?.operatorId ?? null;

  const all = computed(() => Object.values(conversations.value));
  const waiting = computed(() => all.value.filter((c) => c.status === 'waiting').sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1)));
  const mine = computed(() =>
    all.value.filter((c) => c.status === 'active' && c.operatorId === me()).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1)),
  );
  const openChats = computed(() => openIds.value.map((id) => conversations.value[id]).filter((c): c is ConversationView => !!c));
  const active = computed(() => (activeId.value ? (conversations.value[activeId.value] ?? null) : null));
  const activeMessages = computed(() => (activeId.value ? (messages.value[activeId.value] ?? []) : []));
  const totalUnread = computed(() => Object.values(unread.value).reduce((a, b) => a + b, 0));

  // ── helpers ──────────────────────────────────────────────────────────────
  function upsert(c: ConversationView) {
    const prev = conversations.value[c.id];
    // A stale copy (an answer computed before a live update) must not undo newer state:
    // status only moves forward (waiting → active → closed), and lastSeq only grows.
    if (prev && (STATUS_ORDER[c.status] < STATUS_ORDER[prev.status] || (c.status === prev.status && c.lastSeq < prev.lastSeq))) return;
    conversations.value[c.id] = c;
    if (c.status === 'active' && c.operatorId === me() && !openIds.value.includes(c.id)) {
      openIds.value.push(c.id);
      activeId.value ??= c.id;
      void loadHistory(c.id);
    }
    if (c.status === 'closed' && !openIds.value.includes(c.id)) forget(c.id);
    else if (historyLoaded.value[c.id]) catchUpLater(c.id);
  }

  /**
   * A chat shown here moved past the messages held (its message:sent didn't reach this socket, e.g.
   * it was sent before this panel watched the chat): fetch the rest. A moment's grace first, since
   * the live message usually follows on its own (#3).
   */
  function catchUpLater(id: string) {
    const behind = () => (conversations.value[id]?.lastSeq ?? 0) > contiguousSeq(messages.value[id] ?? []);
    if (!behind() || catchUpTimers.has(id)) return;
    catchUpTimers.set(
      id,
      setTimeout(() => {
        catchUpTimers.delete(id);
        if (ctx && historyLoaded.value[id] && behind()) void sync(id);
      }, CATCH_UP_GRACE_MS),
    );
  }

  function forget(id: string) {
    delete conversations.value[id];
    delete messages.value[id];
    delete historyLoaded.value[id];
    delete unread.value[id];
    delete typing.value[id];
  }

  function merge(id: string, incoming: MessageView[]) {
    const current = messages.value[id] ?? [];
    const next = mergeMessages(current, incoming);
    if (next !== current || !messages.value[id]) messages.value[id] = next;
    return next;
  }

  function reportFocus() {
    ctx?.server.setFocus(activeId.value, panelVisible.value);
  }

  // ── catch-up ─────────────────────────────────────────────────────────────
  /** Load the whole history once, then catch up from the last seq held. */
  async function loadHistory(id: string) {
    if (!ctx) return;
    if (!historyLoaded.value[id]) {
      const res = await ctx.server.request('chat:get', { conversationId: id });
      if (!res.ok) return;
      upsert(res.data.conversation);
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
      for (let page = 0; page < MAX_SYNC_PAGES && ctx; page++) {
        const afterSeq = contiguousSeq(messages.value[id] ?? []);
        const res = await ctx.server.request('chat:sync', { conversationId: id, afterSeq });
        if (!res.ok) return;
        const list = merge(id, res.data);
        const target = conversations.value[id]?.lastSeq ?? 0;
        if (res.data.length === 0 || contiguousSeq(list) >= target) return;
      }
    })().finally(() => syncing.delete(id));
    syncing.set(id, run);
    return run;
  }

  async function refresh() {
    if (!ctx) return;
    const res = await ctx.server.request('chat:list', {});
    if (!res.ok) return;
    const next: Record<string, ConversationView> = {};
    for (const c of res.data) next[c.id] = c;
    // Chats open in the pane but no longer open on the server (closed meanwhile): keep, refresh below.
    const gone = openIds.value.filter((id) => !next[id] && conversations.value[id]);
    for (const id of gone) next[id] = conversations.value[id]!;
    conversations.value = next;
    for (const id of Object.keys(messages.value)) if (!next[id]) forget(id);
    for (const c of res.data) if (c.status === 'active' && c.operatorId === me() && !openIds.value.includes(c.id)) openIds.value.push(c.id);
    if (!activeId.value || !openIds.value.includes(activeId.value)) activeId.value = openIds.value[0] ?? null;
    loaded.value = true;
    for (const id of gone) historyLoaded.value[id] = false;
    await Promise.all(openIds.value.map((id) => loadHistory(id)));
    await flush();
    reportFocus();
  }

  // ── outbox ───────────────────────────────────────────────────────────────
  async function onSendResult(entry: OutboxEntry, res: Result<MessageView>) {
    if (res.ok) {
      merge(entry.conversationId, [res.data]);
      void ctx?.outbox.delete(entry.clientId);
      bumpConversation(res.data);
    } else if (isPermanentFailure(res.error)) {
      // Refused for good (#4): shown as failed, kept marked in the outbox (a reload shows it too), never resent.
      markFailed(entry, res.error);
      if (ctx) await markRejected(ctx.outbox, entry, res.error);
    }
    // Offline, no answer, or a server error for now (internal_error, rate_limited): stays in the
    // outbox as "sending"; resent on reconnect, or soon if the connection is up (the ack may have
    // been lost to a connection that died before anyone noticed).
    else scheduleFlush();
  }

  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryDelay = RETRY_MIN_MS;
  function scheduleFlush() {
    if (retryTimer || !ctx) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (ctx?.server.status !== 'connected') return; // the reconnect will flush
      void flush().then(async () => {
        const left = ctx ? (await pendingEntries(ctx.outbox)).length : 0;
        retryDelay = left ? Math.min(retryDelay * 2, RETRY_MAX_MS) : RETRY_MIN_MS;
        if (left) scheduleFlush();
      });
    }, retryDelay);
  }

  function markFailed(entry: OutboxEntry, error: ClientError) {
    const list = messages.value[entry.conversationId];
    if (list) messages.value[entry.conversationId] = setDelivery(list, entry.clientId, 'failed', error.code);
  }

  /** Resend everything queued, oldest first (same clientIds: the server never stores a duplicate). */
  function flush(): Promise<void> {
    if (!ctx) return Promise.resolve();
    if (flushing) return flushing;
    const { outbox, server } = ctx;
    flushing = flushOutbox(outbox, {
      send: (e) => server.request('message:send', { conversationId: e.conversationId, clientId: e.clientId, body: e.body }),
      onSent: (e, m) => {
        merge(e.conversationId, [m]);
        bumpConversation(m);
      },
      onRejected: (e, err) => markFailed(e, err),
    })
      .then((r) => {
        if (r.remaining) scheduleFlush();
      })
      .finally(() => (flushing = null));
    return flushing;
  }

  /** Queued messages of an earlier panel session are shown (as sending, or failed if refused for good) before anything else. */
  async function restoreOutbox() {
    if (!ctx) return;
    for (const e of await ctx.outbox.all()) {
      messages.value[e.conversationId] = addPending(messages.value[e.conversationId] ?? [], {
        conversationId: e.conversationId,
        seq: null,
        clientId: e.clientId,
        author: 'operator',
        authorName: e.authorName,
        body: e.body,
        createdAt: e.createdAt,
        state: e.rejected ? 'failed' : 'sending',
        ...(e.rejected ? { error: e.rejected.code } : {}),
      });
    }
  }

  function bumpConversation(m: MessageView) {
    const c = conversations.value[m.conversationId];
    if (c && m.seq > c.lastSeq)
      conversations.value[c.id] = { ...c, lastSeq: m.seq, lastAuthor: m.author, lastMessageAt: m.createdAt, preview: firstLine(m.body) };
  }

  // ── live events ──────────────────────────────────────────────────────────
  function onMessage(m: MessageView) {
    const id = m.conversationId;
    if (conversations.value[id] || messages.value[id]) {
      if (historyLoaded.value[id]) {
        const list = merge(id, [m]);
        if (hasGap(list)) void sync(id);
      }
      bumpConversation(m);
    }
    if (m.author === 'visitor') {
      delete typing.value[id];
      const c = conversations.value[id];
      const shown = activeId.value === id && panelVisible.value;
      if (c && c.status === 'active' && c.operatorId === me() && !shown) unread.value[id] = (unread.value[id] ?? 0) + 1;
    }
  }

  function onTyping(t: TypingView) {
    if (t.author !== 'visitor') return;
    if (t.typing) typing.value[t.conversationId] = { name: t.name, until: Date.now() + TYPING_EXPIRE_MS };
    else delete typing.value[t.conversationId];
  }

  // ── commands ─────────────────────────────────────────────────────────────
  function open(id: string) {
    if (!openIds.value.includes(id)) openIds.value.push(id);
    activeId.value = id;
    unread.value[id] = 0;
    reportFocus();
    void loadHistory(id);
  }

  /** #4: an admin forgot a visitor: their chats are gone from the server, so from here too. */
  function onVisitorRemoved({ conversationIds }: { conversationIds: string[] }) {
    const gone = new Set(conversationIds);
    openIds.value = openIds.value.filter((id) => !gone.has(id));
    if (activeId.value && gone.has(activeId.value)) activeId.value = openIds.value[0] ?? null;
    for (const id of gone) forget(id);
    reportFocus();
  }

  function dismiss(id: string) {
    openIds.value = openIds.value.filter((x) => x !== id);
    if (activeId.value === id) activeId.value = openIds.value[0] ?? null;
    if (conversations.value[id]?.status === 'closed') forget(id);
    reportFocus();
  }

  async function accept(id: string) {
    if (!ctx) return false;
    const { server } = ctx;
    busy.value[id] = 'accepting';
    notice.value = null;
    try {
      const res = await server.request('chat:accept', { conversationId: id });
      if (!res.ok) {
        notice.value = res.error.message;
        if (res.error.code === 'conflict' || res.error.code === 'chat_closed') void refresh();
        return false;
      }
      upsert(res.data);
      open(id);
      return true;
    } finally {
      delete busy.value[id];
    }
  }

  async function close(id: string) {
    if (!ctx) return false;
    const { server } = ctx;
    busy.value[id] = 'closing';
    notice.value = null;
    try {
      const res = await server.request('chat:close', { conversationId: id });
      if (!res.ok) {
        notice.value = res.error.message;
        return false;
      }
      conversations.value[id] = res.data;
      void sync(id);
      return true;
    } finally {
      delete busy.value[id];
    }
  }

  async function send(conversationId: string, body: string) {
    if (!ctx) return;
    const text = body.trim();
    if (!text) return;
    const entry: OutboxEntry = {
      clientId: newClientId(),
      conversationId,
      body: text,
      authorName: ctx.operatorName,
      createdAt: new Date().toISOString(),
    };
    messages.value[conversationId] = addPending(messages.value[conversationId] ?? [], {
      ...entry,
      seq: null,
      author: 'operator',
      state: 'sending',
    });
    stopTyping(conversationId);
    const { outbox, server } = ctx;
    await outbox.put(entry);
    await onSendResult(entry, await server.request('message:send', { conversationId, clientId: entry.clientId, body: text }));
  }

  /** Removes an unsent message (one refused for good, #4) from the list and the outbox. */
  function discard(conversationId: string, clientId: string) {
    const list = messages.value[conversationId];
    if (list) messages.value[conversationId] = removeMessage(list, clientId);
    void ctx?.outbox.delete(clientId);
  }

  /** Takes a refused message back for editing: removed like {@link discard}, its text returned for the composer. */
  function edit(conversationId: string, clientId: string): string {
    const body = messages.value[conversationId]?.find((x) => x.clientId === clientId && x.seq === null)?.body ?? '';
    discard(conversationId, clientId);
    return body;
  }

  /** Call on every keystroke in the composer: `typing:set` true at most every few seconds, false when idle. */
  function noteTyping(conversationId: string) {
    if (!ctx) return;
    const now = Date.now();
    const prev = typingSent.get(conversationId);
    if (prev) clearTimeout(prev.timer);
    const timer = setTimeout(() => stopTyping(conversationId), TYPING_IDLE_MS);
    if (!prev || now - prev.at > TYPING_RESEND_MS) {
      void ctx.server.request('typing:set', { conversationId, typing: true });
      typingSent.set(conversationId, { at: now, timer });
    } else typingSent.set(conversationId, { at: prev.at, timer });
  }

  function stopTyping(conversationId: string) {
    const prev = typingSent.get(conversationId);
    if (!prev) return;
    clearTimeout(prev.timer);
    typingSent.delete(conversationId);
    void ctx?.server.request('typing:set', { conversationId, typing: false });
  }

  function setPanelVisible(visible: boolean) {
    panelVisible.value = visible;
    if (visible && activeId.value) unread.value[activeId.value] = 0;
    reportFocus();
  }

  /** Drop typing indicators whose visitor went quiet without saying so. */
  function expireTyping(now = Date.now()) {
    for (const [id, t] of Object.entries(typing.value)) if (t.until < now) delete typing.value[id];
  }

  // ── lifecycle ────────────────────────────────────────────────────────────
  /** Subscribe to the server; returns the unsubscribe. */
  function start(options: ChatsStartOptions): () => void {
    ctx = options;
    const { server } = options;
    const ready = restoreOutbox();
    const offs = [
      server.on('chat:requested', upsert),
      server.on('chat:updated', upsert),
      server.on('message:sent', onMessage),
      server.on('typing:updated', onTyping),
      server.on('visitor:removed', onVisitorRemoved),
      server.onStatus((status, previous) => {
        if (status === 'connected' && (previous !== 'connected' || !loaded.value)) void ready.then(refresh);
      }),
      server.onOpenChat((id) => open(id)),
    ];
    const ticker = setInterval(() => expireTyping(), 2000);
    return () => {
      offs.forEach((off) => off());
      clearInterval(ticker);
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      for (const t of typingSent.values()) clearTimeout(t.timer);
      typingSent.clear();
      for (const t of catchUpTimers.values()) clearTimeout(t);
      catchUpTimers.clear();
      ctx = null;
      reset();
    };
  }

  function reset() {
    conversations.value = {};
    messages.value = {};
    historyLoaded.value = {};
    openIds.value = [];
    activeId.value = null;
    unread.value = {};
    typing.value = {};
    busy.value = {};
    loaded.value = false;
    notice.value = null;
  }

  return {
    conversations,
    messages,
    openIds,
    activeId,
    unread,
    typing,
    busy,
    loaded,
    notice,
    waiting,
    mine,
    openChats,
    active,
    activeMessages,
    totalUnread,
    start,
    refresh,
    sync,
    flush,
    open,
    dismiss,
    accept,
    close,
    send,
    discard,
    edit,
    noteTyping,
    stopTyping,
    setPanelVisible,
    expireTyping,
  };
});
