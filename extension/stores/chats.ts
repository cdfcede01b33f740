/**
 * Chats domain (P5, Q1): runs the operator's chats on the server client. It owns the socket
 * listeners and the commands (accept, close, send…), and keeps its parts in step: the chat list
 * (./chatList.ts), the chat windows (./chatWindows.ts), and per chat the timeline, the outbox and
 * typing (composables/chats/). On every (re)connect: `chat:list`, then `chat:sync` from the last
 * seq held for each open chat (paging until caught up), then the outbox is resent with the same
 * clientIds.
 */
import { defineStore } from 'pinia';
import { computed, watch } from 'vue';
import type { ConversationView, MessageView } from '@@/shared/schemas/chats';
import type { VisitorsChangedView } from '@@/shared/schemas/visitors';
import { useOutbox } from '@/composables/chats/useOutbox';
import { useReads } from '@/composables/chats/useReads';
import { useTimeline } from '@/composables/chats/useTimeline';
import { useTyping } from '@/composables/chats/useTyping';
import { useUploads } from '@/composables/chats/useUploads';
import { refreshFile } from '@/utils/files';
import type { OutboxStore } from '@/utils/outbox';
import type { ServerClient } from '@/utils/serverClient';
import { useChatListStore } from './chatList';
import { useChatWindowsStore } from './chatWindows';
import { useSessionStore } from './session';

export { CATCH_UP_GRACE_MS } from '@/composables/chats/useTimeline';

export interface ChatsStartOptions {
  server: ServerClient;
  operatorId: string;
  operatorName: string;
  outbox: OutboxStore;
}

export const useChatsStore = defineStore('chats', () => {
  const list = useChatListStore();
  const windows = useChatWindowsStore();
  let ctx: ChatsStartOptions | null = null;
  const server = () => ctx?.server ?? null;

  const timeline = useTimeline({ server, lastSeq: (id) => list.conversations[id]?.lastSeq ?? 0, onConversation: (c) => upsert(c) });
  const typing = useTyping({ server });
  const outbox = useOutbox({ context: () => ctx, timeline, onStored: (m) => list.bump(m) });
  const session = useSessionStore();
  const credentials = () => session.session && { serverUrl: session.session.serverUrl, token: session.session.token };
  // #5: files go up over HTTP, then through the outbox like any message.
  const uploads = useUploads({ credentials, onUploaded: (id, clientId, file) => outbox.send(id, '', { clientId, file }) });

  /** A fresh signed URL for a file whose URL stopped working (#5: they expire), put into the messages carrying it. */
  async function refreshFileUrl(conversationId: string, fileId: string) {
    const creds = credentials();
    const file = creds && (await refreshFile(creds, fileId).catch(() => null));
    if (file) timeline.update(conversationId, (msgs) => msgs.map((m) => (m.file?.id === fileId ? { ...m, file } : m)));
  }

  const activeMessages = computed(() => (windows.activeId ? (timeline.messages.value[windows.activeId] ?? []) : []));
  // P5: read state and unread counts.
  const reads = useReads({ server, list, windows, messages: timeline.messages });
  watch(
    [
      () => windows.activeId,
      () => windows.panelVisible,
      () => windows.panelFocused,
      () => activeMessages.value.length,
      () => windows.active?.operatorReadSeq,
      () => windows.teamId,
    ],
    () => reads.markShown(),
  );
  watch(
    () => windows.teamId,
    () => reportFocus(),
  );

  // ── keeping the parts in step ────────────────────────────────────────────
  /** A conversation as the server sent it: stored; mine is opened; a closed one nobody shows is forgotten. */
  function upsert(c: ConversationView) {
    if (!list.upsert(c)) return;
    if (list.isMine(c) && !windows.openIds.includes(c.id)) {
      windows.add(c.id);
      if (!windows.activeId) windows.activeId = c.id;
      void timeline.load(c.id);
    }
    if (c.status === 'closed' && !windows.openIds.includes(c.id)) forget(c.id);
    else timeline.catchUpLater(c.id);
  }

  function forget(id: string) {
    list.remove(id);
    timeline.forget(id);
    typing.clear(id);
  }

  function reportFocus() {
    // W3: an internal chat shown is reported as `team:<id>` (the background's alerts for it; no visitor chat is shown then).
    const shown = windows.teamId ? `team:${windows.teamId}` : windows.activeId;
    ctx?.server.setFocus(shown, windows.panelVisible, windows.panelVisible && windows.panelFocused);
  }

  async function refresh() {
    if (!ctx) return;
    const res = await ctx.server.request('chat:list', {});
    if (!res.ok) return;
    // Chats open in the pane but no longer open on the server (closed meanwhile): kept, loaded again below.
    const gone = list.replace(res.data, windows.openIds);
    for (const id of Object.keys(timeline.messages.value)) if (!list.conversations[id]) forget(id);
    for (const c of res.data) if (list.isMine(c)) windows.add(c.id);
    windows.ensureActive();
    for (const id of gone) timeline.reload(id);
    await Promise.all(windows.openIds.map((id) => timeline.load(id)));
    // A chat restored from before a reload that the server no longer has (its visitor was forgotten).
    const unknown = windows.openIds.filter((id) => !list.conversations[id]);
    if (unknown.length) windows.close(unknown);
    await outbox.flush();
    reportFocus();
  }

  // ── live events ──────────────────────────────────────────────────────────
  function onMessage(m: MessageView) {
    const id = m.conversationId;
    if (list.conversations[id] || timeline.messages.value[id]) {
      timeline.receive(m);
      list.bump(m);
    }
    if (m.author === 'visitor') typing.clear(id);
  }

  /** #4: an admin forgot visitors (in a grid frame): their chats are gone from the server, so from here too. */
  function onVisitorsChanged({ removed }: VisitorsChangedView) {
    if (!removed.length) return;
    const conversationIds = removed.flatMap((r) => r.conversationIds);
    windows.close(conversationIds);
    for (const id of conversationIds) forget(id);
    reportFocus();
  }

  // ── commands ─────────────────────────────────────────────────────────────
  function open(id: string) {
    windows.show(id);
    reportFocus();
    void timeline.load(id);
  }

  function dismiss(id: string) {
    windows.close([id]);
    if (list.conversations[id]?.status === 'closed') forget(id);
    reportFocus();
  }

  async function accept(id: string) {
    if (!ctx) return false;
    const { server } = ctx;
    list.busy[id] = 'accepting';
    list.notice = null;
    try {
      const res = await server.request('chat:accept', { conversationId: id });
      if (!res.ok) {
        list.notice = res.error.message;
        // #6: another operator won the accept (or it closed): the list shows it as it is now.
        if (res.error.code === 'chat_taken' || res.error.code === 'conflict' || res.error.code === 'chat_closed') void refresh();
        return false;
      }
      upsert(res.data);
      open(id);
      return true;
    } finally {
      delete list.busy[id];
    }
  }

  async function close(id: string) {
    if (!ctx) return false;
    const { server } = ctx;
    list.busy[id] = 'closing';
    list.notice = null;
    try {
      const res = await server.request('chat:close', { conversationId: id });
      if (!res.ok) {
        list.notice = res.error.message;
        return false;
      }
      list.conversations[id] = res.data;
      void timeline.sync(id);
      return true;
    } finally {
      delete list.busy[id];
    }
  }

  /**
   * P5 (#6): reopens a closed chat (from the archive, or one just closed in the chat pane): it is
   * mine again and opens in the chat pane. Resolves with why not (the server's words), or null.
   */
  async function reopen(id: string): Promise<string | null> {
    if (!ctx) return null;
    const { server } = ctx;
    list.busy[id] = 'reopening';
    list.notice = null;
    try {
      const res = await server.request('chat:reopen', { conversationId: id });
      if (!res.ok) return res.error.message;
      upsert(res.data);
      open(id);
      return null;
    } finally {
      delete list.busy[id];
    }
  }

  /** `internal`: a whisper (W1): operators only, never the visitor's. */
  async function send(conversationId: string, body: string, internal = false) {
    const text = body.trim();
    if (!ctx || !text) return;
    typing.stop(conversationId);
    await outbox.send(conversationId, text, undefined, internal);
  }

  function setPanelVisible(visible: boolean) {
    windows.setPanelVisible(visible);
    reportFocus();
  }

  /** P5: the panel gained or lost the keyboard focus (a chat is read only while it has it). */
  function setPanelFocused(focused: boolean) {
    windows.setPanelFocused(focused);
    reportFocus();
  }

  // ── lifecycle ────────────────────────────────────────────────────────────
  /** Subscribe to the server; returns the unsubscribe. */
  function start(options: ChatsStartOptions): () => void {
    ctx = options;
    list.operatorId = options.operatorId;
    const { server } = options;
    const ready = Promise.all([outbox.restore(), windows.restore()]);
    const offs = [
      server.on('chat:requested', upsert),
      server.on('chat:updated', upsert),
      server.on('message:sent', onMessage),
      server.on('typing:updated', typing.onTyping),
      server.on('visitors:updated', onVisitorsChanged),
      server.on('read:updated', reads.onRead),
      server.onStatus((status, previous) => {
        if (status === 'connected' && (previous !== 'connected' || !list.loaded)) void ready.then(refresh);
      }),
      // W3: `team:<id>` (an internal chat's notification) is the internal chats store's.
      server.onOpenChat((id) => !id.startsWith('team:') && open(id)),
    ];
    const ticker = setInterval(() => typing.expire(), 2000);
    return () => {
      offs.forEach((off) => off());
      clearInterval(ticker);
      outbox.stop();
      uploads.reset();
      reads.reset();
      ctx = null;
      timeline.reset();
      typing.reset();
      list.reset();
      windows.reset();
    };
  }

  return {
    messages: timeline.messages,
    typing: typing.typing,
    activeMessages,
    start,
    refresh,
    sync: timeline.sync,
    flush: outbox.flush,
    open,
    dismiss,
    accept,
    close,
    reopen,
    send,
    discard: outbox.discard,
    edit: outbox.edit,
    uploads: uploads.uploads,
    sendFiles: uploads.send,
    retryUpload: uploads.retry,
    removeUpload: uploads.remove,
    refreshFileUrl,
    noteTyping: typing.note,
    stopTyping: typing.stop,
    setPanelVisible,
    setPanelFocused,
    unread: reads.unread,
    unreadChats: reads.unreadChats,
    expireTyping: typing.expire,
  };
});
