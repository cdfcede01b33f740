import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CATCH_UP_GRACE_MS, useChatsStore } from '@/stores/chats';
import { useChatListStore } from '@/stores/chatList';
import { useChatWindowsStore } from '@/stores/chatWindows';
import { createMemoryOutbox } from '@/utils/outbox';
import type { ConversationView, MessageView } from '@@/shared/schemas/chats';
import { conversation, createFakeServer, flush, message } from './fakes';

const me = { operatorId: 'op-1', operatorName: 'Olga' };

/** A tiny in-memory server conversation: stores sends idempotently by clientId, pages sync by `pageSize`. */
function serverChat(conv: ConversationView, history: MessageView[], pageSize = 2) {
  const msgs = [...history];
  return {
    msgs,
    conv: () => ({ ...conv, lastSeq: msgs.length }),
    get: () => ({ ok: true as const, data: { conversation: { ...conv, lastSeq: msgs.length }, messages: msgs.slice(0, pageSize) } }),
    sync: (p: { afterSeq: number }) => ({ ok: true as const, data: msgs.filter((m) => m.seq > p.afterSeq).slice(0, pageSize) }),
    send: (p: { clientId: string; body: string; conversationId: string }) => {
      const existing = msgs.find((m) => m.clientId === p.clientId);
      if (existing) return { ok: true as const, data: existing };
      const m = message(conv.id, msgs.length + 1, { clientId: p.clientId, body: p.body, author: 'operator', authorName: 'Olga' });
      msgs.push(m);
      return { ok: true as const, data: m };
    },
  };
}

async function settle() {
  for (let i = 0; i < 10; i++) await flush();
}

describe('chats store', () => {
  beforeEach(() => {
    // The chat windows are kept in the browser session: each test starts a new one.
    fakeBrowser.reset();
    setActivePinia(createPinia());
  });

  it('on connect lists chats, opens mine and pages chat:sync until caught up', async () => {
    const mine = conversation({ status: 'active', operatorId: 'op-1' });
    const chat = serverChat(
      mine,
      [1, 2, 3, 4, 5].map((s) => message(mine.id, s)),
    );
    const waiting = conversation({ status: 'waiting' });
    const fake = createFakeServer();
    fake.handle('chat:list', () => ({ ok: true, data: [chat.conv(), waiting] }));
    fake.handle('chat:get', chat.get);
    fake.handle('chat:sync', chat.sync);
    const store = useChatsStore();
    store.start({ server: fake.client, ...me, outbox: createMemoryOutbox() });
    fake.setStatus('connected');
    await settle();

    expect(useChatListStore().waiting.map((c) => c.id)).toEqual([waiting.id]);
    expect(useChatWindowsStore().openIds).toEqual([mine.id]);
    expect(useChatWindowsStore().activeId).toBe(mine.id);
    expect(store.messages[mine.id]!.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(fake.callsOf('chat:sync').map((p) => p.afterSeq)).toEqual([2, 4]);
  });

  it('after a reconnect syncs from the last seq held and gets what it missed exactly once', async () => {
    const mine = conversation({ status: 'active', operatorId: 'op-1' });
    const chat = serverChat(mine, [message(mine.id, 1), message(mine.id, 2)], 500);
    const fake = createFakeServer();
    fake.handle('chat:list', () => ({ ok: true, data: [chat.conv()] }));
    fake.handle('chat:get', chat.get);
    fake.handle('chat:sync', chat.sync);
    const store = useChatsStore();
    store.start({ server: fake.client, ...me, outbox: createMemoryOutbox() });
    fake.setStatus('connected');
    await settle();

    fake.setStatus('offline');
    chat.msgs.push(message(mine.id, 3), message(mine.id, 4));
    fake.setStatus('connecting');
    fake.setStatus('connected');
    await settle();
    // A late live copy of a message already fetched changes nothing.
    fake.emit('message:sent', message(mine.id, 4));
    expect(store.messages[mine.id]!.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(fake.callsOf('chat:sync').at(-1)).toEqual({ conversationId: mine.id, afterSeq: 2 });
  });

  it('shows a sent message at once, then as stored with its seq', async () => {
    const mine = conversation({ status: 'active', operatorId: 'op-1' });
    const chat = serverChat(mine, [message(mine.id, 1)]);
    const fake = createFakeServer();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    fake.handle('chat:list', () => ({ ok: true, data: [chat.conv()] }));
    fake.handle('chat:get', chat.get);
    fake.handle('chat:sync', chat.sync);
    fake.handle('typing:set', () => ({ ok: true, data: null }));
    fake.handle('message:send', async (p) => {
      await gate;
      return chat.send(p);
    });
    const outbox = createMemoryOutbox();
    const store = useChatsStore();
    store.start({ server: fake.client, ...me, outbox });
    fake.setStatus('connected');
    await settle();

    const sending = store.send(mine.id, '  Hello there  ');
    await flush();
    expect(store.messages[mine.id]!.at(-1)).toMatchObject({ body: 'Hello there', state: 'sending', seq: null });
    expect(await outbox.all()).toHaveLength(1);
    release();
    await sending;
    expect(store.messages[mine.id]!.at(-1)).toMatchObject({ body: 'Hello there', state: 'sent', seq: 2 });
    expect(await outbox.all()).toHaveLength(0);
  });

  /** One active chat of mine on a fake server that stores what is sent; the store started and connected. */
  async function connectedWithMyChat() {
    const mine = conversation({ status: 'active', operatorId: 'op-1' });
    const chat = serverChat(mine, [message(mine.id, 1)]);
    const fake = createFakeServer();
    fake.handle('chat:list', () => ({ ok: true, data: [chat.conv()] }));
    fake.handle('chat:get', chat.get);
    fake.handle('chat:sync', chat.sync);
    fake.handle('typing:set', () => ({ ok: true, data: null }));
    fake.handle('message:send', chat.send);
    const outbox = createMemoryOutbox();
    const store = useChatsStore();
    store.start({ server: fake.client, ...me, outbox });
    fake.setStatus('connected');
    await settle();
    return { mine, fake, outbox, store };
  }

  it('keeps unacknowledged messages in the outbox and resends them with the same clientId on reconnect', async () => {
    const { mine, fake, outbox, store } = await connectedWithMyChat();

    fake.setStatus('offline');
    await store.send(mine.id, 'typed while offline');
    const [queued] = await outbox.all();
    expect(queued).toBeDefined();
    expect(store.messages[mine.id]!.at(-1)).toMatchObject({ state: 'sending', seq: null });

    fake.setStatus('connected');
    await settle();
    const sends = fake.callsOf('message:send');
    expect(sends.at(-1)).toMatchObject({ clientId: queued!.clientId, body: 'typed while offline' });
    expect(new Set(sends.map((s) => s.clientId)).size).toBe(1);
    expect(store.messages[mine.id]!.map((m) => [m.seq, m.state])).toEqual([
      [1, 'sent'],
      [2, 'sent'],
    ]);
    expect(await outbox.all()).toEqual([]);
  });

  it('sends a whisper as a whisper, also when it is resent after a reconnect (W1), and marks whisper typing so', async () => {
    const { mine, fake, outbox, store } = await connectedWithMyChat();

    store.noteTyping(mine.id, true);
    expect(fake.callsOf('typing:set').at(-1)).toEqual({ conversationId: mine.id, typing: true, internal: true });
    fake.setStatus('offline');
    await store.send(mine.id, 'psst, offer the refund', true);
    expect(store.messages[mine.id]!.at(-1)).toMatchObject({ state: 'sending', visibility: 'internal' });
    expect(fake.callsOf('typing:set').at(-1)).toEqual({ conversationId: mine.id, typing: false, internal: true });
    fake.setStatus('connected');
    await settle();
    const sends = fake.callsOf('message:send');
    expect(sends.length).toBeGreaterThan(0);
    for (const s of sends) expect(s).toMatchObject({ body: 'psst, offer the refund', internal: true });
    expect(await outbox.all()).toEqual([]);
  });

  it('restores the outbox of an earlier panel session and sends it once connected', async () => {
    const mine = conversation({ status: 'active', operatorId: 'op-1' });
    const chat = serverChat(mine, [message(mine.id, 1)]);
    const outbox = createMemoryOutbox();
    await outbox.put({ clientId: 'op_before_reload', conversationId: mine.id, body: 'from before', authorName: 'Olga', createdAt: new Date().toISOString() });
    // The first attempt did reach the server before the panel was closed: the resend must not duplicate it.
    chat.send({ clientId: 'op_before_reload', body: 'from before', conversationId: mine.id });

    const fake = createFakeServer();
    fake.handle('chat:list', () => ({ ok: true, data: [chat.conv()] }));
    fake.handle('chat:get', chat.get);
    fake.handle('chat:sync', chat.sync);
    fake.handle('message:send', chat.send);
    const store = useChatsStore();
    store.start({ server: fake.client, ...me, outbox });
    await settle();
    expect(store.messages[mine.id]!.map((m) => m.state)).toEqual(['sending']);
    fake.setStatus('connected');
    await settle();
    expect(chat.msgs).toHaveLength(2);
    expect(store.messages[mine.id]!.map((m) => [m.seq, m.clientId])).toEqual([
      [1, message(mine.id, 1).clientId],
      [2, 'op_before_reload'],
    ]);
  });

  it('marks a message the server refuses as failed, with its reason, and keeps it marked in the outbox', async () => {
    const mine = conversation({ status: 'active', operatorId: 'op-1' });
    const chat = serverChat(mine, []);
    const fake = createFakeServer();
    fake.handle('chat:list', () => ({ ok: true, data: [chat.conv()] }));
    fake.handle('chat:get', chat.get);
    fake.handle('chat:sync', chat.sync);
    fake.handle('message:send', () => ({ ok: false, error: { code: 'chat_closed', message: 'The chat is closed' } }));
    const outbox = createMemoryOutbox();
    const store = useChatsStore();
    store.start({ server: fake.client, ...me, outbox });
    fake.setStatus('connected');
    await settle();
    await store.send(mine.id, 'too late');
    expect(store.messages[mine.id]!.at(-1)).toMatchObject({ state: 'failed', error: 'chat_closed' });
    expect(await outbox.all()).toMatchObject([{ body: 'too late', rejected: { code: 'chat_closed' } }]);
  });

  it('accepting a waiting chat opens it with its history', async () => {
    const waiting = conversation({ status: 'waiting' });
    const chat = serverChat(waiting, [message(waiting.id, 1)]);
    const fake = createFakeServer();
    fake.handle('chat:list', () => ({ ok: true, data: [waiting] }));
    fake.handle('chat:get', chat.get);
    fake.handle('chat:sync', chat.sync);
    fake.handle('chat:accept', () => ({ ok: true, data: { ...chat.conv(), status: 'active', operatorId: 'op-1', operatorName: 'Olga' } }));
    const store = useChatsStore();
    store.start({ server: fake.client, ...me, outbox: createMemoryOutbox() });
    fake.setStatus('connected');
    await settle();
    expect(await store.accept(waiting.id)).toBe(true);
    await settle();
    expect(useChatListStore().waiting).toEqual([]);
    expect(useChatListStore().mine.map((c) => c.id)).toEqual([waiting.id]);
    expect(useChatWindowsStore().activeId).toBe(waiting.id);
    expect(store.messages[waiting.id]!.map((m) => m.body)).toEqual(['message 1']);
    expect(fake.focus.at(-1)).toEqual({ conversationId: waiting.id, visible: true });
  });

  it('reopening a closed chat makes it mine and opens it with its new line; a stale closed copy does not undo it (P5)', async () => {
    const closed = conversation({ status: 'closed', operatorId: 'op-1', lastSeq: 2 });
    const chat = serverChat(closed, [message(closed.id, 1), message(closed.id, 2, { author: 'system', body: 'Olga closed the chat' })]);
    const fake = createFakeServer();
    fake.handle('chat:list', () => ({ ok: true, data: [] }));
    fake.handle('chat:get', chat.get);
    fake.handle('chat:sync', chat.sync);
    fake.handle('chat:reopen', () => {
      chat.msgs.push(message(closed.id, 3, { author: 'system', body: 'Olga reopened the chat' }));
      closed.status = 'active';
      return { ok: true, data: chat.conv() };
    });
    const store = useChatsStore();
    store.start({ server: fake.client, ...me, outbox: createMemoryOutbox() });
    fake.setStatus('connected');
    await settle();
    // From the archive: not in the list before.
    expect(await store.reopen(closed.id)).toBeNull();
    await settle();
    expect(useChatListStore().mine.map((c) => c.id)).toEqual([closed.id]);
    expect(useChatWindowsStore().activeId).toBe(closed.id);
    expect(store.messages[closed.id]!.map((m) => m.body).at(-1)).toBe('Olga reopened the chat');
    // A chat:updated sent before the reopening (closed, lastSeq 2) arrives late: still active.
    fake.emit('chat:updated', { ...closed, status: 'closed', lastSeq: 2 });
    expect(useChatListStore().conversations[closed.id]!.status).toBe('active');
    // A refusal comes back in the server's words.
    fake.handle('chat:reopen', () => ({ ok: false, error: { code: 'visitor_in_chat', message: 'This visitor is in another chat now.' } }));
    expect(await store.reopen(closed.id)).toBe('This visitor is in another chat now.');
  });

  it('counts unread visitor messages past my read position, marks the chat shown read, and follows reads on my other panels (P5)', async () => {
    const a = conversation({ status: 'active', operatorId: 'op-1' });
    const b = conversation({ status: 'active', operatorId: 'op-1' });
    const chatA = serverChat(a, [message(a.id, 1)]);
    const chatB = serverChat(b, [message(b.id, 1)]);
    const fake = createFakeServer();
    fake.handle('chat:list', () => ({ ok: true, data: [chatA.conv(), chatB.conv()] }));
    fake.handle('chat:get', (p) => (p.conversationId === a.id ? chatA.get() : chatB.get()));
    fake.handle('chat:sync', (p) => (p.conversationId === a.id ? chatA.sync(p) : chatB.sync(p)));
    fake.handle('read:mark', (p: { conversationId: string; seq: number }) => ({
      ok: true,
      data: { conversationId: p.conversationId, operatorReadSeq: p.seq, visitorReadSeq: 0 },
    }));
    const store = useChatsStore();
    store.start({ server: fake.client, ...me, outbox: createMemoryOutbox() });
    fake.setStatus('connected');
    await settle();
    // A is shown in a visible, focused panel: read. B is not.
    expect(useChatWindowsStore().activeId).toBe(a.id);
    expect(fake.callsOf('read:mark')).toEqual([{ conversationId: a.id, seq: 1 }]);
    expect(store.unread).toEqual({ [b.id]: 1 });
    fake.emit('message:sent', message(b.id, 2));
    fake.emit('message:sent', message(a.id, 2));
    fake.emit('message:sent', message(a.id, 3, { author: 'operator', authorName: 'Olga' }));
    await settle();
    expect(store.unread).toEqual({ [b.id]: 2 });
    expect(store.unreadChats).toBe(1);

    // Read on another panel of mine: cleared here too.
    fake.emit('read:updated', { conversationId: b.id, operatorReadSeq: 2, visitorReadSeq: 0 });
    expect(store.unread).toEqual({});
    fake.emit('message:sent', message(b.id, 3));
    expect(store.unread).toEqual({ [b.id]: 1 });

    // Not focused: nothing is read, even the chat shown.
    store.setPanelFocused(false);
    store.open(b.id);
    await settle();
    expect(store.unread).toEqual({ [b.id]: 1 });
    store.setPanelFocused(true);
    await new Promise((r) => setTimeout(r, 20));
    await settle();
    expect(store.unread).toEqual({});
    expect(fake.callsOf('read:mark').at(-1)).toEqual({ conversationId: b.id, seq: 3 });
    // A stale chat:updated (made before the read) doesn't bring the count back.
    fake.emit('chat:updated', { ...chatB.conv(), lastSeq: 3, operatorReadSeq: 0 });
    expect(store.unread).toEqual({});
  });

  it('catches up with chat:sync when chat:updated shows a shown chat past the messages it holds', async () => {
    vi.useFakeTimers();
    try {
      const mine = conversation({ status: 'active', operatorId: 'op-1' });
      const chat = serverChat(mine, [message(mine.id, 1), message(mine.id, 2)], 500);
      const fake = createFakeServer();
      fake.handle('chat:list', () => ({ ok: true, data: [chat.conv()] }));
      fake.handle('chat:get', chat.get);
      fake.handle('chat:sync', chat.sync);
      const store = useChatsStore();
      store.start({ server: fake.client, ...me, outbox: createMemoryOutbox() });
      fake.setStatus('connected');
      await vi.advanceTimersByTimeAsync(0);
      const syncs = fake.callsOf('chat:sync').length;

      // Its message:sent arrives right after: no extra round trip.
      chat.msgs.push(message(mine.id, 3));
      fake.emit('chat:updated', chat.conv());
      fake.emit('message:sent', message(mine.id, 3));
      await vi.advanceTimersByTimeAsync(CATCH_UP_GRACE_MS + 1);
      expect(fake.callsOf('chat:sync').length).toBe(syncs);

      // It never arrives (sent before this socket watched the chat): chat:sync fetches it.
      chat.msgs.push(message(mine.id, 4));
      fake.emit('chat:updated', chat.conv());
      await vi.advanceTimersByTimeAsync(CATCH_UP_GRACE_MS + 1);
      expect(fake.callsOf('chat:sync').at(-1)).toEqual({ conversationId: mine.id, afterSeq: 3 });
      expect(store.messages[mine.id]!.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows the visitor typing and hides it when their message arrives or it expires', async () => {
    const a = conversation({ status: 'active', operatorId: 'op-1' });
    const fake = createFakeServer();
    fake.handle('chat:list', () => ({ ok: true, data: [a] }));
    const store = useChatsStore();
    store.start({ server: fake.client, ...me, outbox: createMemoryOutbox() });
    fake.setStatus('connected');
    await settle();
    fake.emit('typing:updated', { conversationId: a.id, author: 'visitor', name: 'Alice', typing: true });
    expect(store.typing[a.id]?.name).toBe('Alice');
    fake.emit('message:sent', message(a.id, 2));
    expect(store.typing[a.id]).toBeUndefined();
    fake.emit('typing:updated', { conversationId: a.id, author: 'visitor', name: 'Alice', typing: true });
    store.expireTyping(Date.now() + 60_000);
    expect(store.typing[a.id]).toBeUndefined();
  });
});

describe('chats store retries', () => {
  beforeEach(() => {
    // The chat windows are kept in the browser session: each test starts a new one.
    fakeBrowser.reset();
    setActivePinia(createPinia());
  });

  it('resends a message whose ack timed out while the connection still looked up', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const mine = conversation({ status: 'active', operatorId: 'op-1' });
      const chat = serverChat(mine, [message(mine.id, 1)]);
      const fake = createFakeServer();
      let lose = true;
      fake.handle('chat:list', () => ({ ok: true, data: [chat.conv()] }));
      fake.handle('chat:get', chat.get);
      fake.handle('chat:sync', chat.sync);
      fake.handle('typing:set', () => ({ ok: true, data: null }));
      // The first attempt reaches the server but its ack is lost (a dead connection not yet noticed).
      fake.handle('message:send', (p) => {
        const res = chat.send(p);
        if (lose) {
          lose = false;
          return { ok: false, error: { code: 'timeout', message: 'no ack' } };
        }
        return res;
      });
      const outbox = createMemoryOutbox();
      const store = useChatsStore();
      store.start({ server: fake.client, ...me, outbox });
      fake.setStatus('connected');
      await vi.advanceTimersByTimeAsync(10);
      await store.send(mine.id, 'are you there?');
      expect(store.messages[mine.id]!.at(-1)).toMatchObject({ state: 'sending' });
      await vi.advanceTimersByTimeAsync(1500);
      expect(store.messages[mine.id]!.map((m) => [m.seq, m.state])).toEqual([
        [1, 'sent'],
        [2, 'sent'],
      ]);
      expect(chat.msgs).toHaveLength(2);
      expect(await outbox.all()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('chats store: messages refused for good (#4)', () => {
  beforeEach(() => {
    // The chat windows are kept in the browser session: each test starts a new one.
    fakeBrowser.reset();
    setActivePinia(createPinia());
  });

  /** A server chat that refuses the body 'poison' with message_rejected. */
  function refusingServer(mine: ConversationView, chat: ReturnType<typeof serverChat>) {
    const fake = createFakeServer();
    fake.handle('chat:list', () => ({ ok: true, data: [chat.conv()] }));
    fake.handle('chat:get', chat.get);
    fake.handle('chat:sync', chat.sync);
    fake.handle('typing:set', () => ({ ok: true, data: null }));
    fake.handle('message:send', (p) =>
      p.body === 'poison' ? { ok: false, error: { code: 'message_rejected', message: "This message can't be sent." } } : chat.send(p),
    );
    return fake;
  }

  it('never resends a refused message on reconnect or after a reload, shows it as failed, and sends the ones after it', async () => {
    const mine = conversation({ status: 'active', operatorId: 'op-1' });
    const chat = serverChat(mine, [message(mine.id, 1)]);
    const outbox = createMemoryOutbox();
    const fake = refusingServer(mine, chat);
    const store = useChatsStore();
    const stop = store.start({ server: fake.client, ...me, outbox });
    fake.setStatus('connected');
    await settle();
    await store.send(mine.id, 'poison');
    expect(store.messages[mine.id]!.at(-1)).toMatchObject({ body: 'poison', state: 'failed', error: 'message_rejected' });

    // Offline, a message queued behind it, then back: the queued one goes, the refused one doesn't.
    fake.setStatus('offline');
    await store.send(mine.id, 'queued after it');
    fake.setStatus('connected');
    await settle();
    const poisonSends = () => fake.callsOf('message:send').filter((p) => p.body === 'poison');
    expect(poisonSends()).toHaveLength(1);
    expect(chat.msgs.map((m) => m.body)).toEqual(['message 1', 'queued after it']);

    // The panel reloads: a new store on the same outbox.
    stop();
    setActivePinia(createPinia());
    const again = useChatsStore();
    const fake2 = refusingServer(mine, chat);
    again.start({ server: fake2.client, ...me, outbox });
    fake2.setStatus('connected');
    await settle();
    expect(fake2.callsOf('message:send')).toEqual([]);
    expect(again.messages[mine.id]!.map((m) => [m.body, m.state])).toEqual([
      ['message 1', 'sent'],
      ['queued after it', 'sent'],
      ['poison', 'failed'],
    ]);

    // Edit takes it out of the outbox and hands its text back.
    const refused = again.messages[mine.id]!.at(-1)!;
    expect(again.edit(mine.id, refused.clientId)).toBe('poison');
    await settle();
    expect(await outbox.all()).toEqual([]);
    expect(again.messages[mine.id]!.map((m) => m.body)).toEqual(['message 1', 'queued after it']);
  });

  it('keeps a message the server fails for now as sending and resends it, instead of failing it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const mine = conversation({ status: 'active', operatorId: 'op-1' });
      const chat = serverChat(mine, [message(mine.id, 1)]);
      const fake = createFakeServer();
      let down = true;
      fake.handle('chat:list', () => ({ ok: true, data: [chat.conv()] }));
      fake.handle('chat:get', chat.get);
      fake.handle('chat:sync', chat.sync);
      fake.handle('typing:set', () => ({ ok: true, data: null }));
      fake.handle('message:send', (p) => (down ? { ok: false, error: { code: 'internal_error', message: 'Something went wrong' } } : chat.send(p)));
      const outbox = createMemoryOutbox();
      const store = useChatsStore();
      store.start({ server: fake.client, ...me, outbox });
      fake.setStatus('connected');
      await vi.advanceTimersByTimeAsync(10);
      await store.send(mine.id, 'while the database restarts');
      expect(store.messages[mine.id]!.at(-1)).toMatchObject({ state: 'sending' });
      expect(await outbox.all()).toHaveLength(1);
      down = false;
      await vi.advanceTimersByTimeAsync(1500);
      expect(store.messages[mine.id]!.map((m) => [m.seq, m.state])).toEqual([
        [1, 'sent'],
        [2, 'sent'],
      ]);
      expect(await outbox.all()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
