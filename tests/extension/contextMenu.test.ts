/**
 * P12: the context menu over any tab. The background's registry creates each entry and keeps it
 * enabled only while it can be used; "Insert into chat" sends the selected text to the open panel,
 * or opens one and keeps the text until it connects; the panel puts it in the reply box of the chat
 * shown, of my only chat, or of the chat the operator picks.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { INSERT_INTO_CHAT_MENU_ID, PENDING_INSERT_MS } from '@/background/composer';
import { contextMenuEntries, createContextMenus, type ContextMenusApi } from '@/background/contextMenus';
import { createHub } from '@/background/domains';
import ChatInsertPicker from '@/components/chat/ChatInsertPicker.vue';
import ChatWindow from '@/components/chat/ChatWindow.vue';
import { useChatsStore } from '@/stores/chats';
import { useChatWindowsStore } from '@/stores/chatWindows';
import { useInsertIntoChatStore } from '@/stores/insertIntoChat';
import { createMemoryOutbox } from '@/utils/outbox';
import { createPortPair, type BackgroundMessage } from '@/utils/protocol';
import type { Session } from '@/utils/session';
import type { ConversationView } from '@@/shared/schemas/chats';
import { FakeSocket, conversation, createFakeServer, flush, message } from './fakes';

const session: Session = {
  serverUrl: 'http://localhost:3000',
  token: 'tok-1',
  operator: { id: 'op-1', accountId: 'acc-1', email: 'op@acme.test', name: 'Olga', role: 'operator' },
  account: { id: 'acc-1', name: 'Acme' },
};

/** Records what the background asks of `browser.contextMenus`. */
function fakeMenusApi() {
  const items = new Map<string, { title: string; contexts: string[]; enabled: boolean }>();
  const calls: string[] = [];
  const api: ContextMenusApi = {
    create: ({ id, ...rest }) => {
      calls.push(`create ${id}`);
      if (items.has(id)) throw new Error(`duplicate id ${id}`);
      items.set(id, rest);
    },
    update: (id, { enabled }) => {
      calls.push(`update ${id} ${enabled}`);
      items.get(id)!.enabled = enabled;
    },
    removeAll: () => {
      calls.push('removeAll');
      items.clear();
    },
  };
  return { api, items, calls };
}

function background(list: ConversationView[]) {
  const sockets: FakeSocket[] = [];
  const opened: (number | undefined)[] = [];
  const { api, items, calls } = fakeMenusApi();
  const menus = createContextMenus(api, contextMenuEntries({ insertText: (t) => hub.insertText(t), openPanel: (w) => opened.push(w) }), () => hub.menuState);
  const hub = createHub({
    createSocket: () => {
      const s = new FakeSocket();
      s.answer = (event) => (event === 'chat:list' ? { ok: true, data: list } : { ok: true, data: null });
      sockets.push(s);
      return s;
    },
    alerts: { setWaitingCount: () => {}, newChat: () => {}, newMessage: () => {}, clearChat: () => {} },
    onUnauthenticated: () => {},
    onMenuState: () => menus.update(),
  });
  return { hub, menus, items, calls, sockets, opened };
}

function panel(hub: ReturnType<typeof createHub>, focus?: { visible: boolean; focused: boolean }) {
  const [panelEnd, bgEnd] = createPortPair();
  const received: BackgroundMessage[] = [];
  panelEnd.onMessage.addListener((m) => received.push(m));
  hub.addPanel(bgEnd);
  if (focus) panelEnd.postMessage({ type: 'focus', conversationId: null, ...focus });
  return { port: panelEnd, inserts: () => received.filter((m) => m.type === 'composer-insert').map((m) => (m as { text: string }).text) };
}

const click = (text: string) => ({ menuItemId: INSERT_INTO_CHAT_MENU_ID, selectionText: text });

describe('context menu registry (background)', () => {
  afterEach(() => vi.useRealTimers());

  it('creates "Insert into chat" on selections, enabled only while signed in with a chat of mine in progress', async () => {
    const mine = conversation({ status: 'active', operatorId: 'op-1' });
    const bg = background([mine, conversation({ status: 'waiting' })]);
    await bg.menus.install();
    expect(bg.items.get(INSERT_INTO_CHAT_MENU_ID)).toEqual({ title: 'Insert into chat', contexts: ['selection'], enabled: false });
    // Created again at the next start of the background: what was there is removed first.
    expect(bg.calls).toEqual(['removeAll', `create ${INSERT_INTO_CHAT_MENU_ID}`]);

    bg.hub.setSession(session);
    bg.sockets[0]!.open();
    await flush();
    await flush();
    expect(bg.items.get(INSERT_INTO_CHAT_MENU_ID)!.enabled).toBe(true);

    // My only chat closes: nothing to insert into.
    bg.sockets[0]!.serverEmit('chat:updated', { ...mine, status: 'closed', closedAt: new Date().toISOString() });
    await flush();
    expect(bg.items.get(INSERT_INTO_CHAT_MENU_ID)!.enabled).toBe(false);
    // A chat someone else accepted does not count.
    bg.sockets[0]!.serverEmit('chat:updated', conversation({ status: 'active', operatorId: 'op-2' }));
    await flush();
    expect(bg.items.get(INSERT_INTO_CHAT_MENU_ID)!.enabled).toBe(false);
    bg.sockets[0]!.serverEmit('chat:updated', conversation({ status: 'active', operatorId: 'op-1' }));
    await flush();
    expect(bg.items.get(INSERT_INTO_CHAT_MENU_ID)!.enabled).toBe(true);

    // Signed out: disabled again, and the browser is told only of changes.
    bg.hub.setSession(null);
    await flush();
    expect(bg.items.get(INSERT_INTO_CHAT_MENU_ID)!.enabled).toBe(false);
    expect(bg.calls.filter((c) => c.startsWith('update'))).toEqual([true, false, true, false].map((on) => `update ${INSERT_INTO_CHAT_MENU_ID} ${on}`));
  });

  it('sends the selection to the open panel the operator works in', async () => {
    const bg = background([conversation({ status: 'active', operatorId: 'op-1' })]);
    await bg.menus.install();
    const other = panel(bg.hub, { visible: false, focused: false });
    const side = panel(bg.hub, { visible: true, focused: true });
    await flush();
    bg.hub.setSession(session);
    bg.sockets[0]!.open();
    await flush();
    await flush();
    bg.menus.onClicked(click('  order #1234  '), { id: 3, windowId: 7 });
    await flush();
    expect(side.inserts()).toEqual(['order #1234']);
    expect(other.inserts()).toEqual([]);
    expect(bg.opened).toEqual([]);
    // Another entry's id, or a click without selected text: nothing.
    bg.menus.onClicked({ menuItemId: 'something-else', selectionText: 'x' }, { id: 3, windowId: 7 });
    bg.menus.onClicked(click('   '), { id: 3, windowId: 7 });
    await flush();
    expect(side.inserts()).toEqual(['order #1234']);
  });

  it('with no panel open: opens one in the window of the tab and gives it the text when it connects, not after the wait', async () => {
    const bg = background([conversation({ status: 'active', operatorId: 'op-1' })]);
    await bg.menus.install();
    bg.hub.setSession(session);
    bg.sockets[0]!.open();
    await flush();
    await flush();

    bg.menus.onClicked(click('tracking number 42'), { id: 3, windowId: 7 });
    expect(bg.opened).toEqual([7]);
    const late = panel(bg.hub);
    await flush();
    expect(late.inserts()).toEqual(['tracking number 42']);
    // Given once: the next panel to connect gets nothing.
    const again = panel(bg.hub);
    await flush();
    expect(again.inserts()).toEqual([]);
    late.port.disconnect();
    again.port.disconnect();
    await flush();

    vi.useFakeTimers({ toFake: ['Date'] });
    bg.menus.onClicked(click('too late'), { id: 3, windowId: 7 });
    vi.setSystemTime(Date.now() + PENDING_INSERT_MS + 1);
    const stale = panel(bg.hub);
    await flush();
    expect(stale.inserts()).toEqual([]);
  });
});

describe("P12: Accept on a new chat's notification", () => {
  it("accepts the chat through the background's socket, and says so when it cannot", async () => {
    const bg = background([conversation({ status: 'waiting' })]);
    const waiting = conversation({ status: 'waiting' });
    expect(await bg.hub.acceptChat(waiting.id)).toBe(false); // signed out: no socket to ask
    bg.hub.setSession(session);
    bg.sockets[0]!.open();
    await flush();
    expect(await bg.hub.acceptChat(waiting.id)).toBe(true);
    expect(bg.sockets[0]!.emitted.filter((e) => e.event === 'chat:accept').map((e) => e.payload)).toEqual([{ conversationId: waiting.id }]);
  });
});

describe('Insert into chat (panel)', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    setActivePinia(createPinia());
  });

  async function settle() {
    for (let i = 0; i < 10; i++) await flush();
    await flushPromises();
  }

  async function panelWith(chats: ConversationView[]) {
    const fake = createFakeServer();
    fake.handle('chat:list', () => ({ ok: true, data: chats }));
    fake.handle('chat:get', (p: { conversationId: string }) => ({
      ok: true,
      data: { conversation: chats.find((c) => c.id === p.conversationId), messages: [message(p.conversationId, 1)] },
    }));
    fake.handle('chat:sync', () => ({ ok: true, data: [] }));
    useChatsStore().start({ server: fake.client, operatorId: 'op-1', operatorName: 'Olga', outbox: createMemoryOutbox() });
    useInsertIntoChatStore().start(fake.client);
    const w = mount(
      { components: { ChatWindow, ChatInsertPicker }, template: '<div><ChatWindow :online="true" /><ChatInsertPicker /></div>' },
      { attachTo: document.body },
    );
    return { fake, w };
  }

  const composerText = () => (document.getElementById('composer-input') as HTMLTextAreaElement | null)?.value;

  it('waits for the chat list of a panel just opened, then fills the reply box of my only chat, after what is typed', async () => {
    const mine = conversation({ status: 'active', operatorId: 'op-1', visitorName: 'Vera' });
    const { fake, w } = await panelWith([conversation({ status: 'waiting' }), mine]);
    fake.insertText('Order 1234 shipped');
    await settle();
    expect(composerText()).toBeUndefined(); // nothing loaded yet: the text waits

    fake.setStatus('connected');
    await settle();
    expect(useChatWindowsStore().activeId).toBe(mine.id);
    expect(composerText()).toBe('Order 1234 shipped');
    expect(document.activeElement?.id).toBe('composer-input');

    const input = document.getElementById('composer-input') as HTMLTextAreaElement;
    input.value = 'Hello, your';
    input.dispatchEvent(new Event('input'));
    input.setSelectionRange(11, 11);
    fake.insertText('order');
    await settle();
    expect(composerText()).toBe('Hello, your order');
    expect(input.selectionStart).toBe(17);
    w.unmount();
  });

  it('with several chats of mine and none of them shown: the operator picks one (Escape leaves the text out)', async () => {
    const vera = conversation({ status: 'active', operatorId: 'op-1', visitorName: 'Vera', preview: 'Where is my parcel?' });
    const bob = conversation({ status: 'active', operatorId: 'op-1', visitorName: 'Bob', preview: 'Student discount?' });
    const waiting = conversation({ status: 'waiting', visitorName: 'Cy' });
    const { fake, w } = await panelWith([vera, bob, waiting]);
    fake.setStatus('connected');
    await settle();
    // The operator looks at a chat waiting to be accepted: which of theirs is meant is not clear.
    useChatWindowsStore().show(waiting.id);
    await settle();

    fake.insertText('FAQ: returns within 30 days');
    await settle();
    const dialog = document.querySelector('dialog')!;
    expect(dialog.open).toBe(true);
    expect(dialog.getAttribute('aria-labelledby')).toBeTruthy();
    expect(document.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).toBe('Insert into which chat?');
    const choices = [...dialog.querySelectorAll<HTMLButtonElement>('[data-testid=insert-picker-chat]')];
    expect(choices.map((b) => [...b.children].map((e) => e.textContent))).toEqual([
      ['Vera', 'Where is my parcel?'],
      ['Bob', 'Student discount?'],
    ]);

    // The first chat has the focus; ↓ moves between the chats.
    expect(document.activeElement).toBe(choices[0]);
    dialog.querySelector('ul')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(document.activeElement).toBe(choices[1]);
    choices[1]!.click();
    await settle();
    expect(dialog.open).toBe(false);
    expect(useChatWindowsStore().activeId).toBe(bob.id);
    expect(composerText()).toBe('FAQ: returns within 30 days');

    // Bob's chat is shown now: the next text goes straight there.
    fake.insertText('and exchanges');
    await settle();
    expect(composerText()).toBe('FAQ: returns within 30 days and exchanges');
    expect(dialog.open).toBe(false);

    // The waiting chat shown again; this time the operator cancels the picker.
    useChatWindowsStore().show(waiting.id);
    await settle();
    fake.insertText('never inserted');
    await settle();
    expect(dialog.open).toBe(true);
    dialog.dispatchEvent(new Event('cancel', { cancelable: true }));
    await settle();
    expect(dialog.open).toBe(false);
    expect(useInsertIntoChatStore().picking).toBeNull();
    w.unmount();
  });
});
