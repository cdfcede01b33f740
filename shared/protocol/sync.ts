import type { MessageView } from '../schemas/chats';

/**
 * Messages per page of `chat:sync` (and of the first page that `chat:get`, `chat:start` and the
 * widget's session carry). The server fills every page but the last: a page shorter than this is
 * the end, so a client that is caught up learns it in one round trip. Whatever the server leaves
 * out of a reader's view must be left out before the limit, never after it.
 */
export const SYNC_PAGE_SIZE = 500;

/** Safety stop for one catch-up: 100,000 messages, far beyond any chat. */
export const MAX_SYNC_PAGES = 200;

/** What one catch-up needs of the client that runs it. */
export interface SyncPages {
  /** One `chat:sync { conversationId, afterSeq }`; rejects when it fails (the next trigger tries again). */
  fetchPage(afterSeq: number): Promise<readonly MessageView[]>;
  /** Merges a page into what the client holds. */
  apply(page: readonly MessageView[]): void;
  /** The end of the unbroken run held (`contiguousSeq`), read again before each page: live events fill it meanwhile. */
  heldThrough(): number;
  /** The conversation's `lastSeq` as last heard from the server, when known: no page is asked past it. */
  lastSeq?(): number;
}

/**
 * Catch-up (Q1), after a reconnect or a gap: `chat:sync` from the end of the unbroken run
 * held, page after page, until a page comes back short (nothing more was stored), the known
 * `lastSeq` is reached, or a page brings nothing new (a server that doesn't advance must not
 * loop us). It always asks once: a reconnect must not trust a possibly stale `lastSeq` alone.
 */
export async function syncPages(client: SyncPages): Promise<void> {
  for (let pages = 0; pages < MAX_SYNC_PAGES; pages++) {
    const after = client.heldThrough();
    const page = await client.fetchPage(after);
    client.apply(page);
    if (page.length < SYNC_PAGE_SIZE) return;
    const held = client.heldThrough();
    if (held <= after || (client.lastSeq && held >= client.lastSeq())) return;
  }
}
