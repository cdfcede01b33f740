/** The chat window: the visitor's presence (#5: "Vera left the site" while no tab of theirs is open, a reopened chat too), a closed chat's "×", and a failed Respond on a whisper (W2). */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import ChatWindow from '@/components/chat/ChatWindow.vue';
import { useChatsStore } from '@/stores/chats';
import { useChatWindowsStore } from '@/stores/chatWindows';
import { useTeamChatsStore } from '@/stores/teamChats';
import type { TeamOutboxEntry } from '@/utils/db';
import { useVisitorsStore } from '@/stores/visitors';
import { createMemoryOutbox } from '@/utils/outbox';
import { conversation, createFakeServer, flush, message, visitor } from './fakes';

beforeEach(() => {
  fakeBrowser.reset();
  setActivePinia(createPinia());
});
afterEach(() => vi.useRealTimers());

async function settle() {
  for (let i = 0; i < 10; i++) await flush();
  await flushPromises();
}

async function chatWith(visitorOnline: boolean, more: (chatId: string) => ReturnType<typeof message>[] = () => []) {
  const chat = conversation({
    status: 'active',
    operatorId: 'op-1',
    operatorName: 'Olga',
    visitorId: 'visitor-7',
    visitorName: 'Vera',
    visitorEmail: 'vera@example.com',
  });
  const fake = createFakeServer();
  fake.handle('chat:list', () => ({ ok: true, data: [chat] }));
  fake.handle('chat:get', () => ({ ok: true, data: { conversation: chat, messages: [message(chat.id, 1), ...more(chat.id)] } }));
  fake.handle('chat:sync', () => ({ ok: true, data: [] }));
  fake.handle('visitor:list', () => ({ ok: true, data: visitorOnline ? [visitor(7, { name: 'Vera', conversationId: chat.id })] : [] }));
  useChatsStore().start({ server: fake.client, operatorId: 'op-1', operatorName: 'Olga', outbox: createMemoryOutbox() });
  useVisitorsStore().start(fake.client);
  fake.handle('teamchat:list', () => ({ ok: true, data: [] }));
  useTeamChatsStore().start({ server: fake.client, operatorId: 'op-1', operatorName: 'Olga', outbox: createMemoryOutbox<TeamOutboxEntry>() });
  fake.setStatus('connected');
  await settle();
  const w = mount(ChatWindow, { props: { online: true } });
  await settle();
  return { w, fake, chat };
}

const presence = (w: Awaited<ReturnType<typeof chatWith>>['w']) => w.get('[data-testid=chat-visitor-presence]');

describe('chat window: the visitor’s presence', () => {
  it('says the visitor left the site when their last tab closes, with a way to reply by email, and stops when they are back', async () => {
    const { w, fake } = await chatWith(true);
    expect(presence(w).text()).toBe('');
    expect(presence(w).attributes('role')).toBe('status');

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    fake.emit('visitors:updated', { visitors: [visitor(7, { name: 'Vera', online: false })], removed: [] });
    await vi.advanceTimersByTimeAsync(0);
    expect(presence(w).text()).toContain('Vera left the site');
    expect(presence(w).get('a').attributes('href')).toBe('mailto:vera@example.com');
    expect(presence(w).text()).toContain('Reply by email');

    fake.emit('visitors:updated', { visitors: [visitor(7, { name: 'Vera', online: true })], removed: [] });
    await vi.advanceTimersByTimeAsync(0);
    expect(presence(w).text()).toBe('');
  });

  it('says so for a chat whose visitor is already gone when the panel opens (a message left while nobody was online)', async () => {
    const { w } = await chatWith(false);
    expect(presence(w).text()).toContain('Vera left the site');
  });

  it('says nothing of a closed chat', async () => {
    const { w, fake, chat } = await chatWith(false);
    fake.emit('chat:updated', { ...chat, status: 'closed', closedAt: new Date().toISOString(), lastSeq: 2 });
    await settle();
    expect(presence(w).text()).toBe('');
  });

  it('P5: reopening a chat whose visitor is gone says they left, offers Reply by email, and the reply goes to the server for when they are back', async () => {
    const { w, fake, chat } = await chatWith(false);
    const closed = { ...chat, status: 'closed' as const, closedAt: new Date().toISOString(), lastSeq: 2 };
    fake.emit('chat:updated', closed);
    await settle();
    expect(presence(w).text()).toBe('');

    fake.handle('chat:reopen', () => ({ ok: true, data: { ...closed, status: 'active', closedAt: null, lastSeq: 3 } }));
    fake.handle('typing:set', () => ({ ok: true, data: null }));
    fake.handle('message:send', (p: { conversationId: string; clientId: string; body: string }) => ({
      ok: true,
      data: message(p.conversationId, 4, { clientId: p.clientId, author: 'operator', authorName: 'Olga', operatorId: 'op-1', body: p.body }),
    }));
    await w.get('[data-testid=chat-reopen]').trigger('click');
    await settle();
    expect(presence(w).text()).toContain('Vera left the site');
    expect(presence(w).get('a').attributes('href')).toBe('mailto:vera@example.com');
    expect(presence(w).text()).toContain('Reply by email');

    // The composer is there too: what she writes is sent into the chat (the visitor reads it when back).
    await w.get('[data-testid=composer-input]').setValue('Are you still there?');
    await w.get('[data-testid=composer]').trigger('submit');
    await settle();
    expect(fake.callsOf('message:send')).toEqual([expect.objectContaining({ conversationId: chat.id, body: 'Are you still there?' })]);
    expect(presence(w).text()).toContain('Vera left the site');
  });

  it('gives a closed chat a "×" button, named and titled by its label, that removes it from the open chats', async () => {
    const { w, fake, chat } = await chatWith(false);
    fake.emit('chat:updated', { ...chat, status: 'closed', closedAt: new Date().toISOString(), lastSeq: 2 });
    await settle();
    const remove = w.get('button[aria-label="Remove from open chats"]');
    expect(remove.attributes()).toMatchObject({ type: 'button', title: 'Remove from open chats' });
    expect(remove.get('svg').attributes('aria-hidden')).toBe('true');
    await remove.trigger('click');
    expect(useChatWindowsStore().openChats.map((c) => c.id)).not.toContain(chat.id);
  });

  it('W2: a failed Respond on a whisper says why in the chat where it was clicked', async () => {
    const whisper = { author: 'operator' as const, authorName: 'Sue', operatorId: 'op-sue', visibility: 'internal' as const, body: 'Offer the discount' };
    const { w, fake } = await chatWith(true, (chatId) => [message(chatId, 2, whisper)]);
    const respond = w.find('[data-testid=whisper-respond]');
    expect(respond.exists()).toBe(true);
    fake.handle('teamchat:respond', () => ({ ok: false, error: { code: 'forbidden', message: 'Sue can no longer be reached.' } }));
    await respond.trigger('click');
    await settle();
    const error = w.get('[data-testid=respond-error]');
    expect(error.attributes('role')).toBe('alert');
    expect(error.text()).toBe('Sue can no longer be reached.');
  });
});
