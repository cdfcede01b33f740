/**
 * The chat archive (P9, #6): the Archive tab's search (filters, results a page at a time), a
 * closed chat opened read-only (`chat:get` then `chat:sync`: operators get internal messages too),
 * and the earlier chats of a returning visitor, for their chat window. Nothing live: a search is
 * asked for (Enter), and a closed chat does not change.
 */
import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import { syncPages } from '@@/shared/protocol';
import type { ArchiveChatView, ArchiveCursor, ArchiveRatingFilter, ArchiveSearchPayload } from '@@/shared/schemas/archive';
import { contiguousSeq, mergeMessages, type ChatMessage } from '@/utils/messages';
import type { ServerClient } from '@/utils/serverClient';

export interface ArchiveFilters {
  text: string;
  visitor: string;
  operatorId: string;
  departmentId: string;
  rating: '' | ArchiveRatingFilter;
  /** `yyyy-mm-dd` from the date inputs, days of the operator's own time zone. */
  from: string;
  to: string;
}

const blank = (): ArchiveFilters => ({ text: '', visitor: '', operatorId: '', departmentId: '', rating: '', from: '', to: '' });

export interface Transcript {
  messages: ChatMessage[];
  loading: boolean;
  error: string | null;
}

export interface EarlierChats {
  items: ArchiveChatView[];
  more: boolean;
  loading: boolean;
  error: string | null;
}

/** A local day's start as an instant (`2026-12-01` → that midnight here); `next` the day after's. */
function dayStart(day: string, next = false): string | undefined {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  return new Date(y, m - 1, d + (next ? 1 : 0)).toISOString();
}

export const useArchiveStore = defineStore('archive', () => {
  let server: ServerClient | null = null;
  const filters = reactive<ArchiveFilters>(blank());
  const results = ref<ArchiveChatView[]>([]);
  const next = ref<ArchiveCursor | null>(null);
  /** The filters of the results shown (what "Show more" continues), and whether a search ran. */
  let shown: ArchiveSearchPayload | null = null;
  const searched = ref(false);
  const loading = ref<'search' | 'more' | null>(null);
  const error = ref<string | null>(null);
  /** The words the results were found by (the panel marks them in the snippets). */
  const searchedText = ref('');
  /** The chat open read-only in the Archive tab. */
  const viewing = ref<ArchiveChatView | null>(null);
  const transcripts = ref<Record<string, Transcript>>({});
  const earlier = ref<Record<string, EarlierChats>>({});

  /** Filters set besides the words (the count on the Filters disclosure). */
  const activeFilters = computed(
    () => [filters.visitor.trim(), filters.operatorId, filters.departmentId, filters.rating, filters.from, filters.to].filter(Boolean).length,
  );

  function payload(): ArchiveSearchPayload {
    const p: ArchiveSearchPayload = {};
    if (filters.text.trim()) p.text = filters.text.trim();
    if (filters.visitor.trim()) p.visitor = filters.visitor.trim();
    if (filters.operatorId) p.operatorId = filters.operatorId;
    if (filters.departmentId) p.departmentId = filters.departmentId;
    if (filters.rating) p.rating = filters.rating;
    const from = filters.from && dayStart(filters.from);
    const before = filters.to && dayStart(filters.to, true);
    if (from) p.closedFrom = from;
    if (before) p.closedBefore = before;
    return p;
  }

  async function run(p: ArchiveSearchPayload, more: boolean) {
    if (!server) return;
    loading.value = more ? 'more' : 'search';
    error.value = null;
    try {
      const res = await server.request('archive:search', more && next.value ? { ...p, cursor: next.value } : p);
      if (!res.ok) {
        error.value = ('issues' in res.error && res.error.issues?.[0]?.message) || res.error.message;
        return;
      }
      results.value = more ? [...results.value, ...res.data.items] : res.data.items;
      next.value = res.data.next;
      searched.value = true;
      searchedText.value = p.text ?? '';
      shown = p;
    } finally {
      loading.value = null;
    }
  }

  /** Searches with the filters as they are now (Enter, or the Search button). */
  function search() {
    return run(payload(), false);
  }

  /** The next page of the results shown. */
  function more() {
    return shown && next.value ? run(shown, true) : Promise.resolve();
  }

  function clearFilters() {
    Object.assign(filters, { ...blank(), text: filters.text });
  }

  /** A closed chat's messages, all of them, as operators see them; kept (a closed chat does not change). */
  async function loadTranscript(conversationId: string, again = false) {
    const held = transcripts.value[conversationId];
    if (!server || (held && !held.error && !again) || held?.loading) return;
    const t: Transcript = { messages: [], loading: true, error: null };
    transcripts.value = { ...transcripts.value, [conversationId]: t };
    const client = server;
    const entry = () => transcripts.value[conversationId]!;
    try {
      const first = await client.request('chat:get', { conversationId });
      if (!first.ok) throw new Error(first.error.message);
      entry().messages = mergeMessages([], first.data.messages);
      await syncPages({
        fetchPage: async (afterSeq) => {
          const res = await client.request('chat:sync', { conversationId, afterSeq });
          if (!res.ok) throw new Error(res.error.message);
          return res.data;
        },
        apply: (page) => (entry().messages = mergeMessages(entry().messages, page)),
        heldThrough: () => contiguousSeq(entry().messages),
        lastSeq: () => first.data.conversation.lastSeq,
      });
    } catch (err) {
      entry().error = err instanceof Error ? err.message : String(err);
    } finally {
      entry().loading = false;
    }
  }

  function open(chat: ArchiveChatView) {
    viewing.value = chat;
    void loadTranscript(chat.conversationId);
  }

  function back() {
    viewing.value = null;
  }

  /** P5 (#6): a chat reopened from here is open again: out of the results (the server's archive drops it too) and out of view. */
  function reopened(id: string) {
    results.value = results.value.filter((c) => c.conversationId !== id);
    if (viewing.value?.conversationId === id) viewing.value = null;
    delete transcripts.value[id];
  }

  /**
   * A returning visitor's earlier chats (P9): theirs by visitor id, and those left with the same
   * email from another browser. The newest page is enough beside a chat; the Archive tab has the rest.
   */
  async function loadEarlier(visitorId: string, email: string, again = false) {
    const key = visitorId;
    if (!server || (earlier.value[key] && !again) || earlier.value[key]?.loading) return;
    earlier.value = { ...earlier.value, [key]: { items: earlier.value[key]?.items ?? [], more: false, loading: true, error: null } };
    const e = () => earlier.value[key]!;
    const res = await server.request('archive:search', { visitorId, ...(email.includes('@') ? { visitorEmail: email } : {}) });
    if (res.ok) Object.assign(e(), { items: res.data.items, more: !!res.data.next, loading: false });
    else Object.assign(e(), { error: res.error.message, loading: false });
  }

  /** Subscribe to the server; returns the unsubscribe (and forgets everything of this operator). */
  function start(client: ServerClient): () => void {
    server = client;
    return () => {
      server = null;
      Object.assign(filters, blank());
      results.value = [];
      next.value = null;
      shown = null;
      searched.value = false;
      error.value = null;
      viewing.value = null;
      transcripts.value = {};
      earlier.value = {};
    };
  }

  return {
    filters,
    results,
    next,
    searched,
    searchedText,
    loading,
    error,
    viewing,
    transcripts,
    earlier,
    activeFilters,
    search,
    more,
    clearFilters,
    loadTranscript,
    open,
    back,
    reopened,
    loadEarlier,
    start,
  };
});
