/**
 * The internal chats store (W3): a message typed offline waits in the outbox (shown as sending)
 * and goes with the same clientId once connected; a reconnect catches up from the last seq held;
 * colleagues' messages count as unread until the chat is shown; the chat open in the pane comes
 * back after a panel reload; a colleague's notification clicked opens the chat.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { TeamChatView, TeamMessageView } from '@@/shared/schemas/teamChats';
import { useChatWindowsStore } from '@/stores/chatWindows';
import { useTeamChatsStore } from '@/stores/teamChats';
import type { TeamOutboxEntry } from '@/utils/db';
import { createMemoryOutbox } from '@/utils/outbox';
import { createFakeServer, flush } from './fakes';

const CHAT = '00000000-0000-4000-8000-00000000c001';
const me = { operatorId: 'op-me', operatorName: 'Olga' };

function chatView(lastSeq: number, myRead: number): TeamChatView {
  return {
    id: CHAT,
    members: [
      { operatorId: 'op-me', name: 'Olga', readSeq: myRead },
      { operatorId: 'op-sue', name: 'Sue', readSeq: 0 },
    ],
    lastSeq,
    lastMessageAt: new Date(2026, 0, 1, 10, lastSeq).toISOString(),
    preview: '',
    createdAt: new Date(2026, 0, 1).toISOString(),
  };
}

/** A tiny server side of one internal chat: idempotent by clientId, sync after a seq. */
function serverChat() {
  const msgs: TeamMessageView[] = [];
  const add = (operatorId: string, authorName: string, body: string, clientId = `c-${msgs.length + 1}-${operatorId}`) => {
    const found = msgs.find((m) => m.clientId === clientId);
    if (found) return found;
    const m: TeamMessageView = {
      teamChatId: CHAT,
      seq: msgs.length + 1,
      clientId,
      operatorId,
      authorName,
      body,
      ref: null,
      createdAt: new Date().toISOString(),
    };
    msgs.push(m);
    return m;
  };
  return { msgs, add };
}

async function settle() {
  for (let i = 0; i < 10; i++) await flush();
}

describe('internal chats store (W3)', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    setActivePinia(createPinia());
  });

  function setUp(outbox = createMemoryOutbox<TeamOutboxEntry>()) {
    const chat = serverChat();
    const fake = createFakeServer();
    let myRead = 0;
    fake.handle('teamchat:list', () => ({ ok: true, data: [chatView(chat.msgs.length, myRead)] }));
    fake.handle('teamchat:get', () => ({ ok: true, data: { chat: chatView(chat.msgs.length, myRead), messages: chat.msgs } }));
    fake.handle('teamchat:sync', (p: { afterSeq: number }) => ({ ok: true, data: chat.msgs.filter((m) => m.seq > p.afterSeq) }));
    fake.handle('teamchat:send', (p: { clientId: string; body: string }) => ({ ok: true, data: chat.add('op-me', 'Olga', p.body, p.clientId) }));
    fake.handle('teamchat:read', (p: { seq: number }) => {
      myRead = Math.max(myRead, p.seq);
      return { ok: true, data: chatView(chat.msgs.length, myRead) };
    });
    const store = useTeamChatsStore();
    const stop = store.start({ server: fake.client, ...me, outbox });
    return { chat, fake, store, stop, outbox };
  }

  it('keeps a message typed offline in the outbox, sends it once connected with the same clientId, and catches up what it missed', async () => {
    const { chat, fake, store, outbox } = setUp();
    chat.add('op-sue', 'Sue', 'hello');
    useChatWindowsStore().showTeam(CHAT);
    await store.send(CHAT, 'typed while offline');
    expect(store.messages[CHAT]!.map((m) => [m.body, m.state])).toEqual([['typed while offline', 'sending']]);
    expect((await outbox.all()).map((e) => e.body)).toEqual(['typed while offline']);

    fake.setStatus('connected');
    await settle();
    expect(store.messages[CHAT]!.map((m) => [m.seq, m.body, m.state])).toEqual([
      [1, 'hello', 'sent'],
      [2, 'typed while offline', 'sent'],
    ]);
    expect(await outbox.all()).toEqual([]);
    // Tried while offline, then sent: always under the one clientId, stored once.
    expect(new Set(fake.callsOf('teamchat:send').map((p) => p.clientId)).size).toBe(1);
    expect(chat.msgs.filter((m) => m.body === 'typed while offline')).toHaveLength(1);

    // Offline again; Sue writes twice; back: synced from seq 2.
    fake.setStatus('offline');
    chat.add('op-sue', 'Sue', 'one');
    chat.add('op-sue', 'Sue', 'two');
    fake.setStatus('connected');
    await settle();
    expect(store.messages[CHAT]!.map((m) => m.body)).toEqual(['hello', 'typed while offline', 'one', 'two']);
    expect(fake.callsOf('teamchat:sync').at(-1)).toMatchObject({ afterSeq: 2 });
  });

  it('counts a colleague’s messages as unread until the chat is shown, then marks it read', async () => {
    const { chat, fake, store } = setUp();
    fake.setStatus('connected');
    await settle();
    const m = chat.add('op-sue', 'Sue', 'are you there?');
    fake.emit('teamchat:sent', { chat: chatView(1, 0), message: m });
    await settle();
    expect(store.unread[CHAT]).toBe(1);
    expect(store.unreadChats).toBe(1);
    // The notification of it clicked: the chat opens in the pane, shown, and is read.
    fake.openChat(`team:${CHAT}`);
    await settle();
    expect(useChatWindowsStore().teamId).toBe(CHAT);
    expect(fake.callsOf('teamchat:read').at(-1)).toMatchObject({ teamChatId: CHAT, seq: 1 });
    expect(store.unreadChats).toBe(0);
  });

  it('shows the internal chat that was open again after a panel reload, with what its outbox still holds', async () => {
    const outbox = createMemoryOutbox<TeamOutboxEntry>();
    const first = setUp(outbox);
    first.fake.setStatus('connected');
    await settle();
    useChatWindowsStore().showTeam(CHAT);
    await settle();
    // Not acknowledged before the reload (the server never answers it).
    first.fake.handle('teamchat:send', () => new Promise(() => {}));
    void first.store.send(CHAT, 'in flight');
    await settle();
    first.stop();

    // The reload: a new panel (stores), the same browser session and outbox.
    setActivePinia(createPinia());
    const second = setUp(outbox);
    second.fake.setStatus('connected');
    await settle();
    expect(useChatWindowsStore().teamId).toBe(CHAT);
    expect(second.store.messages[CHAT]!.map((m) => [m.body, m.state])).toEqual([['in flight', 'sent']]);
    expect(second.fake.callsOf('teamchat:send').map((p) => p.clientId)).toEqual(first.fake.callsOf('teamchat:send').map((p) => p.clientId));
  });
});
