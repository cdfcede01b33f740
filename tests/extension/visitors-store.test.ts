import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { watch } from 'vue';
import { useVisitorsStore } from '@/stores/visitors';
import { conversation, createFakeServer, flush, message, visitor } from './fakes';

async function settle() {
  for (let i = 0; i < 10; i++) await flush();
}

describe('visitors store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it("follows a chat's life from chat events alone: browsing → waiting → needs_reply → replied → chatted", async () => {
    const alice = visitor(1);
    const fake = createFakeServer();
    fake.handle('visitor:list', () => ({ ok: true, data: [alice, visitor(2)] }));
    const store = useVisitorsStore();
    store.start(fake.client);
    fake.setStatus('connected');
    await settle();
    const row = () => store.get(alice.id)!;
    expect(row().state).toBe('browsing');

    const chat = conversation({ visitorId: alice.id, status: 'waiting', lastSeq: 1, lastAuthor: 'visitor' });
    fake.emit('chat:requested', chat);
    expect(row()).toMatchObject({ state: 'waiting', conversationId: chat.id });
    // The waiting chat goes first in the grid.
    expect(store.list[0]!.id).toBe(alice.id);

    fake.emit('chat:updated', { ...chat, status: 'active', operatorId: 'op-1', lastSeq: 2 });
    expect(row().state).toBe('needs_reply');
    fake.emit('chat:updated', { ...chat, status: 'active', operatorId: 'op-1', lastSeq: 3, lastAuthor: 'operator' });
    expect(row().state).toBe('replied');
    // A stale copy (lower lastSeq) doesn't undo it.
    fake.emit('chat:updated', { ...chat, status: 'active', operatorId: 'op-1', lastSeq: 2, lastAuthor: 'visitor' });
    expect(row().state).toBe('replied');
    fake.emit('chat:updated', { ...chat, status: 'active', operatorId: 'op-1', lastSeq: 4, lastAuthor: 'visitor' });
    expect(row().state).toBe('needs_reply');
    fake.emit('chat:updated', { ...chat, status: 'closed', operatorId: 'op-1', lastSeq: 5, lastAuthor: 'visitor' });
    expect(row()).toMatchObject({ state: 'chatted', conversationId: null });
    expect(store.get('visitor-2')!.state).toBe('browsing');
    // P5: reopened (its line after the close's), the chat is open again; a stale closed copy doesn't undo it.
    fake.emit('chat:updated', { ...chat, status: 'active', operatorId: 'op-1', lastSeq: 6, lastAuthor: 'system' });
    expect(row()).toMatchObject({ conversationId: chat.id });
    expect(row().state).not.toBe('chatted');
    fake.emit('chat:updated', { ...chat, status: 'closed', operatorId: 'op-1', lastSeq: 5, lastAuthor: 'visitor' });
    expect(row()).toMatchObject({ conversationId: chat.id });
  });

  it('follows the colour of a chat I follow from its messages (the server sends me message:sent, not chat:updated)', async () => {
    const alice = visitor(1);
    const chat = conversation({ visitorId: alice.id, status: 'active', operatorId: 'op-1', lastSeq: 2, lastAuthor: 'visitor' });
    const fake = createFakeServer();
    fake.handle('visitor:list', () => ({ ok: true, data: [{ ...alice, state: 'needs_reply' as const, conversationId: chat.id }] }));
    const store = useVisitorsStore();
    store.start(fake.client);
    fake.setStatus('connected');
    await settle();
    const row = () => store.get(alice.id)!;
    expect(row().state).toBe('needs_reply');
    fake.emit('message:sent', message(chat.id, 3, { author: 'operator' }));
    expect(row().state).toBe('replied');
    fake.emit('message:sent', message(chat.id, 4, { author: 'visitor' }));
    expect(row().state).toBe('needs_reply');
    // A late copy changes nothing; a system note doesn't change who waits for whom.
    fake.emit('message:sent', message(chat.id, 3, { author: 'operator' }));
    fake.emit('message:sent', message(chat.id, 5, { author: 'system' }));
    expect(row().state).toBe('needs_reply');
    fake.emit('chat:updated', { ...chat, status: 'closed', lastSeq: 6 });
    expect(row()).toMatchObject({ state: 'chatted', conversationId: null });
  });

  it('applies a visitors:updated frame as one batch: rows joining, changing and leaving, and forgotten visitors (#4)', async () => {
    vi.useFakeTimers();
    try {
      const [alice, bob, carol] = [visitor(1), visitor(2), visitor(3)];
      const fake = createFakeServer();
      fake.handle('visitor:list', () => ({ ok: true, data: [alice, bob, carol] }));
      const store = useVisitorsStore();
      store.start(fake.client);
      fake.setStatus('connected');
      await vi.advanceTimersByTimeAsync(0);
      expect(store.count).toBe(3);

      let renders = 0;
      // Synchronous: counts every change of the list, not what Vue's scheduler merged.
      const stop = watch(
        () => store.list,
        () => renders++,
        { flush: 'sync' },
      );
      const dave = visitor(4);
      fake.emit('visitors:updated', {
        visitors: [dave, { ...alice, currentUrl: 'https://shop.example/cart', pagesViewed: 5 }, { ...bob, online: false }],
        removed: [{ visitorId: carol.id, conversationIds: [] }],
      });
      expect(store.get(carol.id)).toBeUndefined();
      expect(store.list.map((v) => v.id).sort()).toEqual([alice.id, dave.id].sort());
      expect(store.get(alice.id)).toMatchObject({ currentUrl: 'https://shop.example/cart', pagesViewed: 5 });
      expect(store.isOnline(bob.id)).toBe(false);
      expect(renders).toBe(2); // the removal, then the rows together: not one re-sort per row
      stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the chat colour when an older row of the visitor arrives later (a page view)', async () => {
    vi.useFakeTimers();
    try {
      const alice = visitor(1);
      const fake = createFakeServer();
      fake.handle('visitor:list', () => ({ ok: true, data: [alice] }));
      const store = useVisitorsStore();
      store.start(fake.client);
      fake.setStatus('connected');
      await vi.advanceTimersByTimeAsync(0);
      const chat = conversation({ visitorId: alice.id, status: 'active', operatorId: 'op-1', lastSeq: 3, lastAuthor: 'operator' });
      fake.emit('chat:updated', chat);
      // A page view row computed before the reply, carrying the old colour and a new page.
      fake.emit('visitors:updated', {
        visitors: [{ ...alice, state: 'needs_reply', conversationId: chat.id, currentUrl: 'https://shop.example/cart' }],
        removed: [],
      });
      await vi.advanceTimersByTimeAsync(0);
      expect(store.get(alice.id)).toMatchObject({ state: 'replied', currentUrl: 'https://shop.example/cart', conversationId: chat.id });
    } finally {
      vi.useRealTimers();
    }
  });

  it('applies frames that arrive while the list is on its way after the list (they are newer than it)', async () => {
    const [alice, bob] = [visitor(1), visitor(2)];
    const fake = createFakeServer();
    let answer!: (list: (typeof alice)[]) => void;
    fake.handle('visitor:list', () => new Promise((resolve) => (answer = (data) => resolve({ ok: true, data }))));
    const store = useVisitorsStore();
    store.start(fake.client);
    fake.setStatus('connected');
    await settle();
    // Alice moved on and Bob arrived after the server read the list, before its answer came.
    fake.emit('visitors:updated', { visitors: [{ ...alice, currentUrl: 'https://shop.example/cart' }, bob], removed: [] });
    answer([alice]);
    await settle();
    expect(store.get(alice.id)?.currentUrl).toBe('https://shop.example/cart');
    expect(store.count).toBe(2);
    // Afterwards frames apply as they come.
    fake.emit('visitors:updated', { visitors: [{ ...bob, online: false }], removed: [] });
    expect(store.isOnline(bob.id)).toBe(false);
  });
});
