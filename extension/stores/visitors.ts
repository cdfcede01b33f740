/**
 * Visitors domain (SPEC P2/P3): the live list of online visitors. Owns its socket listeners;
 * re-fetches the whole list on every (re)connect. Live updates are applied in small batches so a
 * busy site doesn't re-sort thousands of rows on every page view.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import type { VisitorState, VisitorView } from '@@/shared/schemas/visitors';
import type { ServerClient } from '@/utils/serverClient';

const STATE_RANK: Record<VisitorState, number> = { waiting: 0, needs_reply: 1, replied: 1, chatted: 2, browsing: 2 };

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

export const BATCH_MS = 200;

export const useVisitorsStore = defineStore('visitors', () => {
  const byId = shallowRef(new Map<string, VisitorView>());
  const loaded = ref(false);
  const error = ref<string | null>(null);
  const filter = ref('');
  let pending: VisitorView[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let server: ServerClient | null = null;
  let generation = 0;

  const list = computed(() => [...byId.value.values()].sort(compareVisitors));
  const filtered = computed(() => (filter.value.trim() ? list.value.filter((v) => visitorMatches(v, filter.value.trim())) : list.value));
  const count = computed(() => byId.value.size);

  function apply(updates: VisitorView[]) {
    const map = byId.value;
    for (const v of updates) {
      if (v.online) map.set(v.id, v);
      else map.delete(v.id);
    }
    triggerRef(byId);
  }

  function flush() {
    flushTimer = null;
    const batch = pending;
    pending = [];
    if (batch.length) apply(batch);
  }

  function onUpdated(v: VisitorView) {
    pending.push(v);
    flushTimer ??= setTimeout(flush, BATCH_MS);
  }

  async function refresh() {
    if (!server) return;
    const gen = generation;
    const res = await server.request('visitor:list', {});
    if (gen !== generation) return;
    if (!res.ok) {
      error.value = res.error.message;
      return;
    }
    error.value = null;
    const map = new Map<string, VisitorView>();
    for (const v of res.data) if (v.online) map.set(v.id, v);
    byId.value = map;
    // Updates that arrived while the list was on its way are newer than it.
    flush();
    loaded.value = true;
  }

  /** Subscribe to the server; returns the unsubscribe. */
  function start(client: ServerClient): () => void {
    server = client;
    generation++;
    const offs = [
      client.on('visitor:updated', onUpdated),
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
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    pending = [];
    byId.value = new Map();
    loaded.value = false;
    error.value = null;
    filter.value = '';
  }

  function get(id: string | null | undefined) {
    return id ? byId.value.get(id) : undefined;
  }

  return { byId, list, filtered, count, loaded, error, filter, start, refresh, get, flush };
});
