/**
 * The operator's unsent messages (Q1, Q5): each is shown at once as sending, kept in the outbox
 * (IndexedDB) until the server acknowledges it, and resent with the same clientId after a reload, a
 * reconnect or a lost ack, so the server never stores it twice. One refused for good (#4) is shown
 * as failed and never resent; the operator edits or discards it.
 */
import type { MessageView } from '@@/shared/schemas/chats';
import type { FileView } from '@@/shared/schemas/files';
import { addPending, newClientId, removeMessage, setDelivery } from '@/utils/messages';
import { flushOutbox, isPermanentFailure, markRejected, pendingEntries, type OutboxEntry, type OutboxStore } from '@/utils/outbox';
import type { ClientError, Result } from '@/utils/protocol';
import type { ServerClient } from '@/utils/serverClient';
import type { Timeline } from './useTimeline';

const RETRY_MIN_MS = 1000;

/** The `message:send` of an outbox entry: the same clientId every time, and its file's id (#5). */
function sendPayload(e: OutboxEntry) {
  return {
    conversationId: e.conversationId,
    clientId: e.clientId,
    body: e.body,
    ...(e.file ? { fileId: e.file.id } : {}),
    ...(e.internal ? { internal: true } : {}),
  };
}
const RETRY_MAX_MS = 30_000;

export interface OutboxOptions {
  /** What sending needs while the chats store runs, else null. */
  context(): { server: ServerClient; outbox: OutboxStore; operatorName: string } | null;
  timeline: Timeline;
  /** A message of the operator's is stored (its chat moves on). */
  onStored(message: MessageView): void;
}

export function useOutbox(options: OutboxOptions) {
  const { timeline } = options;
  let flushing: Promise<void> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryDelay = RETRY_MIN_MS;

  function stored(m: MessageView) {
    timeline.merge(m.conversationId, [m]);
    options.onStored(m);
  }

  function markFailed(entry: OutboxEntry, error: ClientError) {
    if (timeline.messages.value[entry.conversationId]) timeline.update(entry.conversationId, (list) => setDelivery(list, entry.clientId, 'failed', error.code));
  }

  async function onSendResult(entry: OutboxEntry, res: Result<MessageView>) {
    const ctx = options.context();
    if (res.ok) {
      stored(res.data);
      void ctx?.outbox.delete(entry.clientId);
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

  function scheduleFlush() {
    if (retryTimer || !options.context()) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      const ctx = options.context();
      if (ctx?.server.status !== 'connected') return; // the reconnect will flush
      void flush().then(async () => {
        const now = options.context();
        const left = now ? (await pendingEntries(now.outbox)).length : 0;
        retryDelay = left ? Math.min(retryDelay * 2, RETRY_MAX_MS) : RETRY_MIN_MS;
        if (left) scheduleFlush();
      });
    }, retryDelay);
  }

  /** Resend everything queued, oldest first (same clientIds: the server never stores a duplicate). */
  function flush(): Promise<void> {
    const ctx = options.context();
    if (!ctx) return Promise.resolve();
    if (flushing) return flushing;
    const { outbox, server } = ctx;
    flushing = flushOutbox(outbox, {
      send: (e) => server.request('message:send', sendPayload(e)),
      onSent: (_e, m) => stored(m),
      onRejected: (e, err) => markFailed(e, err),
    })
      .then((r) => {
        if (r.remaining) scheduleFlush();
      })
      .finally(() => (flushing = null));
    return flushing;
  }

  /** Queued messages of an earlier panel session are shown (as sending, or failed if refused for good) before anything else. */
  async function restore() {
    const ctx = options.context();
    if (!ctx) return;
    for (const e of await ctx.outbox.all()) {
      timeline.update(e.conversationId, (list) =>
        addPending(list, {
          conversationId: e.conversationId,
          seq: null,
          clientId: e.clientId,
          author: 'operator',
          authorName: e.authorName,
          body: e.body,
          createdAt: e.createdAt,
          ...(e.file ? { file: e.file } : {}),
          ...(e.internal ? { visibility: 'internal' as const } : {}),
          state: e.rejected ? 'failed' : 'sending',
          ...(e.rejected ? { error: e.rejected.code } : {}),
        }),
      );
    }
  }

  /**
   * Shows `text` as sending at once, queues it, and sends it. With `attachment` (#5): an uploaded
   * file, sent under the clientId its upload had. `internal`: a whisper (W1).
   */
  async function send(conversationId: string, text: string, attachment?: { clientId: string; file: FileView }, internal = false) {
    const ctx = options.context();
    if (!ctx) return;
    const entry: OutboxEntry = {
      clientId: attachment?.clientId ?? newClientId(),
      conversationId,
      body: text,
      authorName: ctx.operatorName,
      createdAt: new Date().toISOString(),
      ...(attachment ? { file: attachment.file } : {}),
      ...(internal ? { internal: true as const } : {}),
    };
    const { internal: _, ...shown } = entry;
    timeline.update(conversationId, (list) =>
      addPending(list, { ...shown, ...(internal ? { visibility: 'internal' as const } : {}), seq: null, author: 'operator', state: 'sending' }),
    );
    await ctx.outbox.put(entry);
    await onSendResult(entry, await ctx.server.request('message:send', sendPayload(entry)));
  }

  /** Removes an unsent message (one refused for good, #4) from the list and the outbox. */
  function discard(conversationId: string, clientId: string) {
    if (timeline.messages.value[conversationId]) timeline.update(conversationId, (list) => removeMessage(list, clientId));
    void options.context()?.outbox.delete(clientId);
  }

  /** Takes a refused message back for editing: removed like {@link discard}, its text returned for the composer. */
  function edit(conversationId: string, clientId: string): string {
    const body = timeline.messages.value[conversationId]?.find((x) => x.clientId === clientId && x.seq === null)?.body ?? '';
    discard(conversationId, clientId);
    return body;
  }

  function stop() {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
  }

  return { restore, send, flush, discard, edit, stop };
}
