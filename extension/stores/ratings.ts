/**
 * Ratings (V2, #5): what visitors said of their ended chats, for the chat window. Live from
 * `rating:updated`; a chat shown before (or without) one asks `rating:get`, and asks again after
 * a reconnect (updates sent while offline were missed).
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RatingView } from '@@/shared/schemas/ratings';
import type { ServerClient } from '@/utils/serverClient';

export const useRatingsStore = defineStore('ratings', () => {
  /** By conversation id: its rating, or null when it has none; absent when not known yet. */
  const byConversation = ref<Record<string, RatingView | null>>({});
  let server: ServerClient | null = null;
  const asking = new Set<string>();
  /** Every chat a window asked about. */
  const wanted = new Set<string>();

  /** Keeps the newer of what is held and `r` (an answer may have been computed before a live update). */
  function keep(conversationId: string, r: RatingView | null) {
    const held = byConversation.value[conversationId];
    if (held && (!r || r.ratedAt < held.ratedAt)) return;
    byConversation.value[conversationId] = r;
  }

  /** A chat's rating from the server, unless it is known already (live updates keep it so) and `again` isn't set. */
  async function load(conversationId: string, again = false) {
    wanted.add(conversationId);
    if (!server || asking.has(conversationId) || (!again && conversationId in byConversation.value)) return;
    asking.add(conversationId);
    try {
      const res = await server.request('rating:get', { conversationId });
      if (res.ok) keep(conversationId, res.data);
    } finally {
      asking.delete(conversationId);
    }
  }

  /** Subscribe to the server; returns the unsubscribe. */
  function start(client: ServerClient): () => void {
    server = client;
    const offs = [
      client.on('rating:updated', (r) => keep(r.conversationId, r)),
      client.onStatus((status, previous) => {
        if (status === 'connected' && previous !== 'connected') for (const id of wanted) void load(id, true);
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      server = null;
      byConversation.value = {};
      wanted.clear();
    };
  }

  return { byConversation, load, start };
});
