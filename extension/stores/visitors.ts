/**
 * Visitors domain (P2/P3/P4/P6): the live list of online visitors, their navigation history
 * (fetched for the rows and chats that show it, then live), invitations and chats started from
 * the grid. Owns its socket listeners;
 * re-fetches the whole list on every (re)connect. Live updates come from the server in frames (at
 * most one per account every VISITOR_BATCH_MS), each applied at once as one change of the list.
 *
 * A row's colour follows its chat: the server doesn't send the row again on every message (#3),
 * the store derives state and conversationId from `chat:requested` / `chat:updated` with the
 * same rule as the server (shared/visitorState.ts).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import type { ConversationView, MessageView } from '@@/shared/schemas/chats';
import type { PageVisitView, VisitorState, VisitorsChangedView, VisitorView } from '@@/shared/schemas/visitors';
import type { ConversationWithMessages } from '@@/shared/schemas/chats';
import { newClientId } from '@@/shared/protocol';
import { visitorState } from '@@/shared/visitorState';
import { failureText, visitorsApi } from '@/utils/api';
import type { ServerClient } from '@/utils/serverClient';
import type { Session } from '@/utils/session';
import { strings } from '@/strings';
import { PAGE_HISTORY_LIMIT } from '@@/shared/schemas/visitors';

const STATE_RANK: Record<VisitorState, number> = { waiting: 0, needs_reply: 1, replied: 1, chatted: 2, browsing: 2, idle: 2 };

export function compareVisitors(a: VisitorView, b: VisitorView): number {
  return (
    STATE_RANK[a.state] - STATE_RANK[b.state] ||
    (a.visitStartedAt < b.visitStartedAt ? 1 : a.visitStartedAt > b.visitStartedAt ? -1 : 0) ||
    (a.id < b.id ? -1 : 1)
  );
}

export function visitorMatches(v: VisitorView, query: string): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  return [v.name, v.email, v.city, v.region, v.country, v.pageTitle, v.currentUrl, v.ip, v.browser, v.platform].some(
    (f) => f != null && f.toLowerCase().includes(q),
  );
}

/** P6: one visitor's history as the panel holds it while a row or a chat shows it. */
export interface VisitorHistory {
  pages: PageVisitView[];
  loading: boolean;
  error: string | null;
}

const STATUS_ORDER: Record<ConversationView['status'], number> = { waiting: 0, active: 1, closed: 2 };

/** What a visitor's row shows of their latest conversation. */
type ChatOverlay = Pick<ConversationView, 'id' | 'status' | 'lastAuthor' | 'lastSeq' | 'createdAt'>;

/** The row with its chat colour and open conversation taken from the latest conversation event. */
export function withChat(v: VisitorView, chat: ChatOverlay | undefined): VisitorView {
  if (!chat) return v;
  const state = visitorState({ status: chat.status, lastAuthor: chat.lastAuthor, hasChattedBefore: true });
  const conversationId = chat.status === 'closed' ? null : chat.id;
  return state === v.state && conversationId === v.conversationId ? v : { ...v, state, conversationId };
}

/** Whether `next` is newer than `prev` (a later conversation, or the same one further on). */
function isNewer(prev: ChatOverlay | undefined, next: ChatOverlay): boolean {
  if (!prev) return true;
  if (prev.id !== next.id) return next.createdAt >= prev.createdAt;
  // P5 (#6): every change of status stores a line, so a copy behind in lastSeq is older (a close
  // before a reopening), and a reopened chat goes from closed back to active with its line after the close's.
  if (next.lastSeq < prev.lastSeq) return false;
  const reopened = prev.status === 'closed' && next.status === 'active' && next.lastSeq > prev.lastSeq;
  return reopened || STATUS_ORDER[next.status] > STATUS_ORDER[prev.status] || (next.status === prev.status && next.lastSeq >= prev.lastSeq);
}

export const useVisitorsStore = defineStore('visitors', () => {
  const byId = shallowRef(new Map<string, VisitorView>());
  const loaded = ref(false);
  const error = ref<string | null>(null);
  const filter = ref('');
  /** Lists on their way; rows of frames arriving meanwhile are newer than them and wait in `pending`. */
  let listing = 0;
  let pending: VisitorView[] = [];
  /** Latest conversation event per visitor id: rows (from the list or visitors:updated) may be older. */
  let chats = new Map<string, ChatOverlay>();
  /**
   * Visitors an admin forgot (#4): a row still on its way (read before the delete, a later frame)
   * must not bring the row back. Cleared with each fresh list, which no longer has them.
   */
  let removed = new Set<string>();
  let server: ServerClient | null = null;
  /** P6: histories shown somewhere (a row's details, a chat), with how many places show each. */
  const histories = ref<Record<string, VisitorHistory>>({});
  const watchers = new Map<string, number>();
  let generation = 0;

  /**
   * The rows in grid order. P2: a page view (the most frequent update by far) changes no sort key,
   * so the last order is kept and the changed rows are put in their places: no sort of thousands
   * of rows per update batch (tests/bench/grid.ts).
   */
  let sorted: VisitorView[] = [];
  let position = new Map<string, number>();
  const list = computed(() => {
    const map = byId.value;
    if (map.size === sorted.length) {
      const next = sorted.slice();
      let kept = true;
      for (const [id, v] of map) {
        const i = position.get(id);
        const prev = i === undefined ? undefined : next[i];
        if (!prev || (prev !== v && (STATE_RANK[prev.state] !== STATE_RANK[v.state] || prev.visitStartedAt !== v.visitStartedAt))) {
          kept = false;
          break;
        }
        next[i!] = v;
      }
      if (kept) return (sorted = next);
    }
    sorted = [...map.values()].sort(compareVisitors);
    position = new Map(sorted.map((v, i) => [v.id, i]));
    return sorted;
  });
  const filtered = computed(() => (filter.value.trim() ? list.value.filter((v) => visitorMatches(v, filter.value.trim())) : list.value));
  const count = computed(() => byId.value.size);

  function apply(updates: VisitorView[]) {
    const map = byId.value;
    for (const v of updates) {
      if (removed.has(v.id)) continue;
      if (v.online) map.set(v.id, withChat(v, chats.get(v.id)));
      else map.delete(v.id);
    }
    triggerRef(byId);
  }

  /** A conversation changed: its visitor's row takes the new colour at once (no batch: it is rare per visitor). */
  function onChat(c: ConversationView) {
    setChat(c.visitorId, { id: c.id, status: c.status, lastAuthor: c.lastAuthor, lastSeq: c.lastSeq, createdAt: c.createdAt });
  }

  /**
   * A message of a chat this socket follows (mine, or one I opened): the server sends it instead
   * of chat:updated, so the colour is derived from it.
   */
  function onMessage(m: MessageView) {
    let visitorId: string | undefined;
    let prev: ChatOverlay | undefined;
    for (const [vid, chat] of chats) if (chat.id === m.conversationId) [visitorId, prev] = [vid, chat];
    if (!visitorId) for (const v of byId.value.values()) if (v.conversationId === m.conversationId) visitorId = v.id;
    if (!visitorId) return;
    if (!prev) {
      // Not seen through a chat event since the list was loaded: it is open (a message arrived).
      const row = byId.value.get(visitorId)!;
      prev = { id: m.conversationId, status: row.state === 'waiting' ? 'waiting' : 'active', lastAuthor: null, lastSeq: 0, createdAt: '' };
    }
    if (m.seq <= prev.lastSeq) return;
    setChat(visitorId, { ...prev, lastSeq: m.seq, lastAuthor: m.author === 'system' ? prev.lastAuthor : m.author });
  }

  function setChat(visitorId: string, overlay: ChatOverlay) {
    if (!isNewer(chats.get(visitorId), overlay)) return;
    const row = byId.value.get(visitorId);
    // Closed chats of visitors who left are no longer needed (keeps the map to the live ones).
    if (overlay.status === 'closed' && !row) chats.delete(visitorId);
    else chats.set(visitorId, overlay);
    if (!row) return;
    const next = withChat(row, overlay);
    if (next === row) return;
    byId.value.set(row.id, next);
    triggerRef(byId);
  }

  /**
   * #4: one frame of the account's grid changes (the server batches them: at most one per account
   * every 50 ms, one entry per visitor), applied as it comes: a second wait here would only add to
   * the update-to-paint time (P2, tests/bench/grid.ts). While a list is on its way the rows wait for it.
   */
  function onUpdated(frame: VisitorsChangedView) {
    for (const r of frame.removed) onRemoved(r);
    if (!frame.visitors.length) return;
    if (listing) pending.push(...frame.visitors);
    else apply(frame.visitors);
  }

  /** #4: an admin forgot this visitor; the row and its chat colour go at once. */
  function onRemoved({ visitorId }: { visitorId: string }) {
    removed.add(visitorId);
    chats.delete(visitorId);
    pending = pending.filter((v) => v.id !== visitorId);
    if (byId.value.delete(visitorId)) triggerRef(byId);
  }

  /** "Forget this visitor" (admins, #4). Resolves with why it failed, or null. */
  async function forget(session: Session, visitorId: string): Promise<string | null> {
    const res = await visitorsApi.forget(session.serverUrl, session.token, visitorId);
    if (!res.ok) return failureText(res.failure, session.serverUrl);
    onRemoved({ visitorId });
    return null;
  }

  // ── P6: navigation history ─────────────────────────────────────────────
  async function loadHistory(visitorId: string) {
    if (!server) return;
    const current = histories.value[visitorId];
    histories.value[visitorId] = { pages: current?.pages ?? [], loading: true, error: null };
    const res = await server.request('visitor:history', { visitorId });
    if (!watchers.has(visitorId)) return;
    // Pages that arrived live while the history was on its way are in the answer too (joined first).
    histories.value[visitorId] = res.ok
      ? { pages: res.data, loading: false, error: null }
      : { pages: current?.pages ?? [], loading: false, error: res.error.message };
  }

  /** A row or a chat shows this visitor's history: fetched once, then kept live; returns the release. */
  function watchHistory(visitorId: string): () => void {
    const n = watchers.get(visitorId) ?? 0;
    watchers.set(visitorId, n + 1);
    if (n === 0) void loadHistory(visitorId);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (watchers.get(visitorId) ?? 1) - 1;
      if (left > 0) return void watchers.set(visitorId, left);
      watchers.delete(visitorId);
      delete histories.value[visitorId];
      void server?.request('visitor:unwatch', { visitorId });
    };
  }

  function onPaged({ visitorId, page }: { visitorId: string; page: PageVisitView }) {
    const h = histories.value[visitorId];
    if (!h || h.pages.some((p) => p.id === page.id)) return;
    // The page before it ended when this one began.
    const pages = h.pages.map((p) => (p.leftAt === null ? { ...p, leftAt: page.at } : p));
    histories.value[visitorId] = { ...h, pages: [page, ...pages].slice(0, PAGE_HISTORY_LIMIT) };
  }

  // ── P4: invitations and chats started from the grid ─────────────────────
  /** Invites the visitor with `message`; resolves with why it failed, or null. */
  async function invite(visitorId: string, message: string): Promise<string | null> {
    if (!server) return strings.visitors.notConnected;
    const res = await server.request('visitor:invite', { visitorId, message });
    if (!res.ok) return res.error.message;
    return null;
  }

  /** Starts a chat with the visitor, `body` first; resolves with the chat, or why it failed. */
  async function startChat(visitorId: string, body: string): Promise<{ ok: true; chat: ConversationWithMessages } | { ok: false; error: string }> {
    if (!server) return { ok: false, error: strings.visitors.notConnected };
    const res = await server.request('chat:open', { visitorId, clientId: newClientId(), body });
    return res.ok ? { ok: true, chat: res.data } : { ok: false, error: res.error.message };
  }

  async function refresh() {
    if (!server) return;
    const gen = generation;
    // The list is newer than any conversation event received before asking for it.
    chats = new Map();
    removed = new Set();
    listing++;
    const res = await server.request('visitor:list', {});
    if (gen !== generation) return; // reset meanwhile (listing is 0 again)
    listing--;
    if (res.ok) {
      error.value = null;
      const map = new Map<string, VisitorView>();
      for (const v of res.data) if (v.online) map.set(v.id, withChat(v, chats.get(v.id)));
      byId.value = map;
    } else error.value = res.error.message;
    // Updates that arrived while the list was on its way are newer than it.
    if (!listing && pending.length) {
      apply(pending);
      pending = [];
    }
    if (!res.ok) return;
    loaded.value = true;
    // P6: after a reconnect the histories shown may have missed pages (and the rooms are new).
    for (const id of watchers.keys()) void loadHistory(id);
  }

  /** Subscribe to the server; returns the unsubscribe. */
  function start(client: ServerClient): () => void {
    server = client;
    generation++;
    const offs = [
      client.on('visitors:updated', onUpdated),
      client.on('chat:requested', onChat),
      client.on('chat:updated', onChat),
      client.on('message:sent', onMessage),
      client.on('visitor:paged', onPaged),
      client.onStatus((status, previous) => {
        if (status === 'connected' && (previous !== 'connected' || !loaded.value)) void refresh();
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      reset();
    };
  }

  function reset() {
    generation++;
    server = null;
    listing = 0;
    pending = [];
    chats = new Map();
    removed = new Set();
    byId.value = new Map();
    loaded.value = false;
    error.value = null;
    filter.value = '';
    watchers.clear();
    histories.value = {};
  }

  function get(id: string | null | undefined) {
    return id ? byId.value.get(id) : undefined;
  }

  /**
   * Whether the visitor has the site open (#5: the chat window says when they left): the list holds
   * every online visitor, and `visitors:updated` removes one whose last tab closed. Null until the
   * list has loaded (unknown, not "gone").
   */
  function isOnline(id: string): boolean | null {
    return loaded.value ? byId.value.has(id) : null;
  }

  return {
    byId,
    list,
    filtered,
    count,
    loaded,
    error,
    filter,
    start,
    refresh,
    get,
    isOnline,
    forget,
    histories,
    watchHistory,
    invite,
    startChat,
  };
});
