/**
 * P10 (#6): the composer's canned responses and emoji, by keyboard. `/` opens the list (the reply
 * box names its highlighted option), arrows choose, Enter or Tab inserts with the placeholders
 * filled, `/price` + space expands at once, Escape closes; links in messages are real links, and
 * only the safe ones.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CannedView } from '@@/shared/schemas/canned';
import AppShortcuts from '@/components/app/AppShortcuts.vue';
import ChatWindow from '@/components/chat/ChatWindow.vue';
import { usePanelCommands } from '@/composables/usePanelCommands';
import { useCannedStore } from '@/stores/canned';
import { useChatListStore } from '@/stores/chatList';
import { useChatsStore } from '@/stores/chats';
import { useChatWindowsStore } from '@/stores/chatWindows';
import { useSessionStore } from '@/stores/session';
import { createMemoryOutbox } from '@/utils/outbox';
import { conversation, createFakeServer, flush, message } from './fakes';

const canned = (shortcut: string, body: string, scope: CannedView['scope'] = 'account'): CannedView => ({
  id: `c-${shortcut}-${scope}`,
  scope,
  shortcut,
  title: `Title of ${shortcut}`,
  body,
  updatedAt: '2026-12-01T10:00:00.000Z',
});

async function settle() {
  for (let i = 0; i < 10; i++) await flush();
  await flushPromises();
}

beforeEach(() => {
  fakeBrowser.reset();
  setActivePinia(createPinia());
  document.body.innerHTML = '';
});

async function composer() {
  const chat = conversation({ status: 'active', operatorId: 'op-1', operatorName: 'Olga', visitorName: 'Vera Visitor', visitorEmail: 'vera@example.com' });
  const fake = createFakeServer();
  fake.handle('chat:list', () => ({ ok: true, data: [chat] }));
  fake.handle('chat:get', () => ({
    ok: true,
    data: { conversation: chat, messages: [{ ...message(chat.id, 1), body: 'Try javascript:alert(1) or https://acme.test/help, thanks' }] },
  }));
  fake.handle('chat:sync', () => ({ ok: true, data: [] }));
  fake.handle('canned:list', () => ({
    ok: true,
    data: [
      canned('price', 'Hi {visitor.name}, our prices: https://acme.test/pricing'),
      canned('price-eu', 'In euros'),
      canned('hello', 'Hello {visitor.firstName}, {operator.name} here. Order {order.id}?'),
      canned('ship', 'Parcels leave daily', 'personal'),
    ],
  }));
  useSessionStore().session = {
    serverUrl: 'http://localhost:3000',
    token: 't',
    operator: { id: 'op-1', accountId: 'a', email: 'olga@acme.test', name: 'Olga Ops', role: 'operator' },
    account: { id: 'a', name: 'Acme' },
  };
  useChatsStore().start({ server: fake.client, operatorId: 'op-1', operatorName: 'Olga Ops', outbox: createMemoryOutbox() });
  useCannedStore().start(fake.client);
  fake.setStatus('connected');
  await settle();
  const w = mount(ChatWindow, { props: { online: true }, attachTo: document.body });
  onTestFinished(() => w.unmount());
  await settle();
  const input = w.get<HTMLTextAreaElement>('[data-testid=composer-input]');
  /** Types `text` at the end, the caret after it, as the browser would. */
  async function type(text: string) {
    const el = input.element;
    el.focus();
    await input.setValue(el.value + text);
    el.setSelectionRange(el.value.length, el.value.length);
    await input.trigger('input');
  }
  const key = (k: string, init: KeyboardEventInit = {}) => input.trigger('keydown', { key: k, ...init });
  return { w, fake, input, type, key, chat };
}

describe('the composer’s canned responses (P10)', () => {
  it('opens a listbox on `/`, filters as you type, moves with the arrows and inserts with Enter, placeholders filled', async () => {
    const { w, input, type, key } = await composer();
    await type('Sure! /');
    const list = () => w.find('[role=listbox]');
    expect(list().exists()).toBe(true);
    expect(w.findAll('[role=option]').map((o) => o.attributes('data-shortcut'))).toEqual(['hello', 'price', 'price-eu', 'ship']);
    expect(input.attributes('aria-controls')).toBe(list().attributes('id'));
    expect(input.attributes('aria-autocomplete')).toBe('list');

    await type('pr');
    expect(w.findAll('[role=option]').map((o) => o.attributes('data-shortcut'))).toEqual(['price', 'price-eu']);
    expect(input.attributes('aria-activedescendant')).toBe(w.findAll('[role=option]')[0]!.attributes('id'));
    expect(w.text()).toContain('2 canned responses');

    await key('ArrowDown');
    const second = w.findAll('[role=option]')[1]!;
    expect(second.attributes('aria-selected')).toBe('true');
    expect(input.attributes('aria-activedescendant')).toBe(second.attributes('id'));
    await key('ArrowUp');
    await key('Enter');
    await settle();
    expect(input.element.value).toBe('Sure! Hi Vera Visitor, our prices: https://acme.test/pricing');
    expect(list().exists()).toBe(false);
    // Enter inserted; it did not send.
    expect(w.findAll('[data-testid=message][data-author=operator]')).toHaveLength(0);
  });

  it('expands an exact `/shortcut` with space or Tab, and selects a placeholder it could not fill', async () => {
    const { input, type, key } = await composer();
    await type('/price');
    await key(' ');
    await settle();
    expect(input.element.value).toBe('Hi Vera Visitor, our prices: https://acme.test/pricing ');

    await input.setValue('');
    await type('/hello');
    await key('Tab');
    await settle();
    expect(input.element.value).toBe('Hello Vera, Olga Ops here. Order {order.id}?');
    const { selectionStart, selectionEnd, value } = input.element;
    expect(value.slice(selectionStart, selectionEnd)).toBe('{order.id}');
  });

  it('closes on Escape and then sends what was typed; no match leaves Enter to send', async () => {
    const { w, fake, input, type, key } = await composer();
    await type('/nothing');
    expect(w.text()).toContain('No canned response matches /nothing');
    await key('Escape');
    expect(w.find('[data-testid=canned-list]').exists()).toBe(false);
    await key('Enter');
    await settle();
    expect(fake.calls.filter((c) => c.event === 'message:send').map((c) => c.payload.body)).toEqual(['/nothing']);
    expect(input.element.value).toBe('');
  });

  it('opens from its button at the caret, and offers the manager', async () => {
    const { w, input, type } = await composer();
    await type('Hello');
    await w.get('[data-testid=composer-canned]').trigger('click');
    await settle();
    expect(input.element.value).toBe('Hello /');
    expect(w.find('[role=listbox]').exists()).toBe(true);
    await w.get('[data-testid=canned-manage]').trigger('click');
    expect(useCannedStore().managerOpen).toBe(true);
  });

  it('inserts an emoji chosen by keyboard at the caret', async () => {
    const { w, input, type } = await composer();
    await type('Thanks ');
    await w.get('[data-testid=composer-emoji]').trigger('click');
    await settle();
    const search = w.get<HTMLInputElement>('[data-testid=emoji-search]');
    await search.setValue('thumbs up');
    await search.trigger('keydown', { key: 'Enter' });
    await settle();
    expect(input.element.value).toBe('Thanks 👍');
    expect(w.find('[data-testid=emoji-picker]').exists()).toBe(false);
  });

  it('shows links in messages as links that open safely, and a javascript: address as text', async () => {
    const { w } = await composer();
    const links = w.findAll('[data-testid=message-link]');
    expect(links.map((a) => [a.text(), a.attributes('href'), a.attributes('rel'), a.attributes('target')])).toEqual([
      ['https://acme.test/help', 'https://acme.test/help', 'noopener noreferrer', '_blank'],
    ]);
    expect(w.get('[data-testid=message-body]').text()).toBe('Try javascript:alert(1) or https://acme.test/help, thanks');
  });
});

describe('the panel’s keyboard shortcuts (P10)', () => {
  async function shortcuts() {
    const mineReplied = conversation({ status: 'active', operatorId: 'op-1', lastAuthor: 'operator', createdAt: '2026-12-01T09:00:00.000Z' });
    const mineWaitsA = conversation({ status: 'active', operatorId: 'op-1', lastAuthor: 'visitor', createdAt: '2026-12-01T09:01:00.000Z' });
    const mineWaitsB = conversation({ status: 'active', operatorId: 'op-1', lastAuthor: 'visitor', createdAt: '2026-12-01T09:02:00.000Z' });
    const waitingOld = conversation({ status: 'waiting', createdAt: '2026-12-01T08:00:00.000Z' });
    const waitingNew = conversation({ status: 'waiting', createdAt: '2026-12-01T08:30:00.000Z' });
    const all = [mineReplied, mineWaitsA, mineWaitsB, waitingOld, waitingNew];
    const fake = createFakeServer();
    fake.handle('chat:list', () => ({ ok: true, data: all }));
    fake.handle('chat:get', ({ conversationId }) => ({ ok: true, data: { conversation: all.find((c) => c.id === conversationId)!, messages: [] } }));
    fake.handle('chat:sync', () => ({ ok: true, data: [] }));
    fake.handle('chat:accept', ({ conversationId }) => ({
      ok: true,
      data: { ...all.find((c) => c.id === conversationId)!, status: 'active', operatorId: 'op-1', operatorName: 'Olga' },
    }));
    useChatsStore().start({ server: fake.client, operatorId: 'op-1', operatorName: 'Olga', outbox: createMemoryOutbox() });
    fake.setStatus('connected');
    await settle();
    const w = mount(AppShortcuts, { attachTo: document.body });
    // Its listener is on the window: gone with the test.
    onTestFinished(() => w.unmount());
    const press = async (code: string, init: KeyboardEventInit = {}) => {
      window.dispatchEvent(new KeyboardEvent('keydown', { code, key: code.slice(3).toLowerCase(), altKey: true, bubbles: true, cancelable: true, ...init }));
      await settle();
    };
    return { w, fake, press, mineReplied, mineWaitsA, mineWaitsB, waitingOld };
  }

  it('Alt+J goes through the chats waiting for a reply, and Alt+N accepts the oldest waiting chat', async () => {
    const { press, fake, mineWaitsA, mineWaitsB, waitingOld } = await shortcuts();
    const windows = useChatWindowsStore();
    windows.activeId = null;
    await press('KeyJ');
    expect(windows.activeId).toBe(mineWaitsA.id);
    await press('KeyJ');
    expect(windows.activeId).toBe(mineWaitsB.id);
    await press('KeyJ');
    expect(windows.activeId).toBe(mineWaitsA.id);

    await press('KeyN');
    expect(fake.calls.filter((c) => c.event === 'chat:accept').map((c) => c.payload)).toEqual([{ conversationId: waitingOld.id }]);
    expect(windows.activeId).toBe(waitingOld.id);
  });

  it('says so when there is nothing to do, and opens its help on `?` outside a field', async () => {
    const { w, press } = await shortcuts();
    useChatListStore().conversations = {};
    await press('KeyN');
    expect(w.get('[data-testid=shortcut-said]').text()).toBe('No chat is waiting.');
    await press('KeyJ');
    expect(w.get('[data-testid=shortcut-said]').text()).toBe('No chat is waiting for your reply.');

    window.dispatchEvent(new KeyboardEvent('keydown', { key: '?', bubbles: true, cancelable: true }));
    await settle();
    expect(usePanelCommands().helpOpen.value).toBe(true);
    expect(w.text()).toContain('Accept the next waiting chat');
    usePanelCommands().helpOpen.value = false;
  });
});
