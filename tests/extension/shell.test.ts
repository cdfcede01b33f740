/** #5: the side panel's frame: the tab registry, the chat windows kept over a reload, the open-chat tabs that don't fit. */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import AppShell from '@/components/app/AppShell.vue';
import ChatQueueItem from '@/components/chat/ChatQueueItem.vue';
import ChatSwitcher from '@/components/chat/ChatSwitcher.vue';
import { panelTabs } from '@/app/tabs';
import { useChatListStore } from '@/stores/chatList';
import { useChatsStore } from '@/stores/chats';
import { useChatWindowsStore } from '@/stores/chatWindows';
import { createMemoryOutbox } from '@/utils/outbox';
import { outOfView } from '@/utils/overflow';
import { setServerClient } from '@/utils/serverClient';
import { chatWindowsItem, panelTabItem, type Session } from '@/utils/session';
import { conversation, createFakeServer, flush, message, visitor } from './fakes';

const session: Session = {
  serverUrl: 'http://localhost:3000',
  token: 'tok-1',
  operator: { id: 'op-1', accountId: 'acc-1', email: 'olga@acme.test', name: 'Olga', role: 'admin' },
  account: { id: 'acc-1', name: 'Acme' },
};

async function settle() {
  for (let i = 0; i < 10; i++) await flush();
  // The tabs' components are loaded on first show.
  await vi.dynamicImportSettled();
  await flushPromises();
}

beforeEach(() => {
  fakeBrowser.reset();
  setActivePinia(createPinia());
});
afterEach(() => setServerClient(null));

describe('panel tabs', () => {
  async function shell() {
    const fake = createFakeServer();
    const waiting = conversation({ status: 'waiting', visitorId: 'visitor-1' });
    fake.handle('chat:list', () => ({ ok: true, data: [waiting] }));
    fake.handle('visitor:list', () => ({ ok: true, data: [visitor(1), visitor(2)] }));
    setServerClient(fake.client);
    const w = mount(AppShell, { props: { session }, attachTo: document.body });
    fake.setStatus('connected');
    await settle();
    return { w, fake, waiting };
  }

  it('renders one tab and one tab panel per registry entry, wired with ARIA, the first one shown', async () => {
    const { w } = await shell();
    const tablist = w.get('[role=tablist][aria-label=Sections]');
    const tabs = tablist.findAll('[role=tab]');
    expect(tabs.map((t) => t.attributes('id'))).toEqual(panelTabs.map((t) => `tab-${t.id}`));
    for (const tab of tabs) {
      const panel = w.get(`#${tab.attributes('aria-controls')}`);
      expect(panel.attributes('role')).toBe('tabpanel');
      expect(panel.attributes('aria-labelledby')).toBe(tab.attributes('id'));
    }
    expect(tabs.map((t) => [t.attributes('aria-selected'), t.attributes('tabindex')])).toEqual([
      ['true', '0'],
      ['false', '-1'],
      ['false', '-1'],
      ['false', '-1'],
    ]);
    expect(w.get('#panel-chats').attributes('hidden')).toBeUndefined();
    expect(w.get('#panel-visitors').attributes('hidden')).toBeDefined();
    // The Chats tab holds the queue; the visitors grid is not built until its tab is shown.
    expect(w.find('#panel-chats [data-testid=chat-item]').exists()).toBe(true);
    expect(w.find('#panel-visitors [data-testid=visitor-row]').exists()).toBe(false);
    w.unmount();
  });

  it('moves between tabs with the arrow keys, Home and End, and remembers the tab shown', async () => {
    const { w } = await shell();
    const chats = w.get('#tab-chats');
    (chats.element as HTMLElement).focus();
    await chats.trigger('keydown', { key: 'ArrowRight' });
    await settle();
    expect(w.get('#tab-visitors').attributes('aria-selected')).toBe('true');
    expect(document.activeElement?.id).toBe('tab-visitors');
    expect(w.get('#panel-visitors').attributes('hidden')).toBeUndefined();
    expect(w.findAll('#panel-visitors [data-testid=visitor-row]').length).toBe(2);
    expect(await panelTabItem.getValue()).toBe('visitors');
    // #6: the Team tab ("View operators"), then the Archive (P9), the last one.
    await w.get('#tab-visitors').trigger('keydown', { key: 'ArrowRight' });
    expect(document.activeElement?.id).toBe('tab-team');
    await w.get('#tab-team').trigger('keydown', { key: 'ArrowRight' });
    expect(document.activeElement?.id).toBe('tab-archive');
    await w.get('#tab-archive').trigger('keydown', { key: 'ArrowRight' });
    expect(document.activeElement?.id).toBe('tab-chats');
    await w.get('#tab-chats').trigger('keydown', { key: 'End' });
    expect(document.activeElement?.id).toBe('tab-archive');
    await w.get('#tab-archive').trigger('keydown', { key: 'Home' });
    expect(w.get('#tab-chats').attributes('aria-selected')).toBe('true');
    w.unmount();
  });

  it('shows the registry badges: chats waiting in red, the visitor count plainly, each said in words', async () => {
    const { w } = await shell();
    expect(w.get('[data-testid=tab-chats-badge]').text()).toBe('1');
    expect(w.get('[data-testid=tab-chats-badge]').classes()).toContain('alert');
    expect(w.get('#tab-chats').text()).toContain('(1 waiting)');
    expect(w.get('[data-testid=tab-visitors-badge]').text()).toBe('2');
    expect(w.get('[data-testid=tab-visitors-badge]').classes()).not.toContain('alert');
    expect(w.get('#tab-visitors').text()).toContain('(2 visitors)');
    w.unmount();
  });

  it('opens the tab the operator last chose', async () => {
    await panelTabItem.setValue('visitors');
    const { w } = await shell();
    expect(w.get('#tab-visitors').attributes('aria-selected')).toBe('true');
    w.unmount();
  });
});

describe('chat list preview (#5)', () => {
  it('cuts a preview to one line, however long its words, so it can never widen the list', () => {
    const c = conversation({ status: 'active', operatorId: 'op-1', preview: `Hello ${'x'.repeat(220)}` });
    const w = mount(ChatQueueItem, { props: { conversation: c, now: Date.now(), unread: 0, active: false } });
    const preview = w.get('[data-testid=chat-preview]');
    expect(preview.classes()).toContain('truncate');
    expect(preview.attributes('title')).toBe(c.preview);
  });
});

describe('chat windows across a panel reload (#5)', () => {
  function server(...convs: ReturnType<typeof conversation>[]) {
    const fake = createFakeServer();
    fake.handle('chat:list', () => ({ ok: true, data: convs }));
    fake.handle('chat:get', (p: { conversationId: string }) => ({
      ok: true,
      data: { conversation: convs.find((c) => c.id === p.conversationId)!, messages: [message(p.conversationId, 1)] },
    }));
    fake.handle('chat:sync', () => ({ ok: true, data: [] }));
    return fake;
  }

  it('shows the same chat after a reload, not the first one', async () => {
    const a = conversation({ status: 'active', operatorId: 'op-1' });
    const b = conversation({ status: 'active', operatorId: 'op-1' });
    const fake = server(a, b);
    useChatsStore().start({ server: fake.client, operatorId: 'op-1', operatorName: 'Olga', outbox: createMemoryOutbox() });
    fake.setStatus('connected');
    await settle();
    expect(useChatWindowsStore().activeId).toBe(a.id);
    useChatsStore().open(b.id);
    await settle();
    expect(await chatWindowsItem.getValue()).toEqual({ openIds: [a.id, b.id], activeId: b.id });

    // The panel reloads: a new page, new stores, the same browser session.
    setActivePinia(createPinia());
    const again = server(a, b);
    useChatsStore().start({ server: again.client, operatorId: 'op-1', operatorName: 'Olga', outbox: createMemoryOutbox() });
    again.setStatus('connected');
    await settle();
    const windows = useChatWindowsStore();
    expect(windows.activeId).toBe(b.id);
    expect(windows.openIds).toEqual([a.id, b.id]);
    expect(again.focus.at(-1)).toEqual({ conversationId: b.id, visible: true });
  });

  it('keeps a chat the operator opened that is not theirs, and drops one the server no longer has', async () => {
    const mine = conversation({ status: 'active', operatorId: 'op-1' });
    const colleagues = conversation({ status: 'active', operatorId: 'op-2' });
    const forgotten = conversation({ status: 'active', operatorId: 'op-1' });
    await chatWindowsItem.setValue({ openIds: [colleagues.id, forgotten.id], activeId: colleagues.id });
    const fake = createFakeServer();
    fake.handle('chat:list', () => ({ ok: true, data: [mine, colleagues] }));
    fake.handle('chat:get', (p: { conversationId: string }) =>
      p.conversationId === forgotten.id
        ? { ok: false, error: { code: 'not_found', message: 'No such chat' } }
        : { ok: true, data: { conversation: p.conversationId === mine.id ? mine : colleagues, messages: [] } },
    );
    fake.handle('chat:sync', () => ({ ok: true, data: [] }));
    useChatsStore().start({ server: fake.client, operatorId: 'op-1', operatorName: 'Olga', outbox: createMemoryOutbox() });
    fake.setStatus('connected');
    await settle();
    const windows = useChatWindowsStore();
    expect(windows.openIds).toEqual([colleagues.id, mine.id]);
    expect(windows.activeId).toBe(colleagues.id);
  });

  it('forgets the windows on sign-out, so the next operator starts from their own chats', async () => {
    const a = conversation({ status: 'active', operatorId: 'op-1' });
    const fake = server(a);
    const stop = useChatsStore().start({ server: fake.client, operatorId: 'op-1', operatorName: 'Olga', outbox: createMemoryOutbox() });
    fake.setStatus('connected');
    await settle();
    expect((await chatWindowsItem.getValue()).activeId).toBe(a.id);
    stop();
    await settle();
    expect(await chatWindowsItem.getValue()).toEqual({ openIds: [], activeId: null });
  });
});

describe('open-chat tabs that do not fit (#5)', () => {
  it('finds the tabs not wholly in view', () => {
    const tabs = [0, 1, 2, 3].map((i) => ({ start: i * 150, end: i * 150 + 140 }));
    expect(outOfView(tabs, { start: 0, end: 320 })).toEqual([2, 3]);
    expect(outOfView(tabs, { start: 150, end: 450 })).toEqual([0, 3]);
    expect(outOfView(tabs, { start: 0, end: 600 })).toEqual([]);
  });

  it('offers the chats out of view behind a "+2" button, marked when one of them has unread messages', async () => {
    const convs = ['Ann', 'Bob', 'Cy', 'Di'].map((name) => conversation({ status: 'active', operatorId: 'op-1', visitorName: name }));
    const list = useChatListStore();
    const windows = useChatWindowsStore();
    for (const c of convs) list.upsert(c);
    windows.openIds = convs.map((c) => c.id);
    windows.activeId = convs[0]!.id;
    // Two of Di's messages past the read position (P5).
    const chats = useChatsStore();
    list.operatorId = 'op-1';
    chats.messages[convs[3]!.id] = [1, 2].map((seq) => ({ ...message(convs[3]!.id, seq), state: 'sent' as const }));
    const w = mount(ChatSwitcher, { attachTo: document.body });
    await settle();
    expect(w.find('[data-testid=chat-switcher-more]').exists()).toBe(false);

    // The pane is 320 px wide and each tab 150 px: Cy and Di are cut off.
    const strip = w.get('[data-testid=chat-switcher]').element as HTMLElement;
    Object.defineProperties(strip, { clientWidth: { value: 320 }, scrollWidth: { value: 600 }, scrollLeft: { value: 0, writable: true } });
    w.findAll('[role=tab]').forEach((t, i) => Object.defineProperties(t.element, { offsetLeft: { value: i * 150 }, offsetWidth: { value: 140 } }));
    await w.get('[data-testid=chat-switcher]').trigger('scroll');

    const more = w.get('[data-testid=chat-switcher-more]');
    expect(more.text()).toBe('+2');
    expect(more.attributes('aria-label')).toBe('2 more open chats');
    expect(more.classes()).toContain('alert');
    expect(w.get('[data-testid=chat-switcher]').classes()).toContain('fade-end');

    await more.trigger('click');
    const items = w.findAll('[role=menu] [role=menuitem]');
    expect(items.map((i) => i.text())).toEqual(['Cy', 'Di2']);
    expect(document.activeElement).toBe(items[0]!.element);
    await items[1]!.trigger('click');
    expect(windows.activeId).toBe(convs[3]!.id);
    await flush();
    expect(chats.unread[convs[3]!.id]).toBeUndefined();
    expect(w.find('[role=menu]').exists()).toBe(false);
    w.unmount();
  });
});
