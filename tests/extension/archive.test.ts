/**
 * The chat archive in the panel (P9, #6): a result marks the searched words as text (never HTML),
 * and a returning visitor's earlier chats show beside their chat, asked by visitor and email.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import ArchiveEarlier from '@/components/archive/ArchiveEarlier.vue';
import ArchiveResult from '@/components/archive/ArchiveResult.vue';
import { useArchiveStore } from '@/stores/archive';
import type { ArchiveChatView } from '@@/shared/schemas/archive';
import { createFakeServer } from './fakes';

const VISITOR = '00000000-0000-4000-8000-0000000000b1';
const NOW_CHAT = '00000000-0000-4000-8000-0000000000c1';
const OLD_CHAT = '00000000-0000-4000-8000-0000000000c2';

function chat(over: Partial<ArchiveChatView> = {}): ArchiveChatView {
  return {
    conversationId: OLD_CHAT,
    visitorId: VISITOR,
    visitorName: 'Vera',
    visitorEmail: 'vera@example.com',
    operatorId: null,
    operatorName: 'Olivia',
    departmentId: null,
    departmentName: null,
    closedAt: '2026-11-30T10:00:00.000Z',
    rating: 'good',
    messageCount: 4,
    snippet: { text: 'Do you ship <b>rockets</b> to Mars?', internal: false },
    ...over,
  };
}

beforeEach(() => setActivePinia(createPinia()));

describe('the chat archive in the panel (P9)', () => {
  it('marks the searched words in a result as text, whatever the snippet holds', () => {
    const wrapper = mount(ArchiveResult, { props: { chat: chat(), query: 'ROCKETS mars -ship' } });
    expect(wrapper.findAll('mark').map((m) => m.text())).toEqual(['rockets', 'Mars']);
    expect(wrapper.find('b').exists()).toBe(false);
    expect(wrapper.get('.ar-snippet').text()).toBe('Do you ship <b>rockets</b> to Mars?');
    expect(wrapper.text()).toContain('Olivia · 4 messages');
  });

  it("shows a returning visitor's earlier chats beside their chat, asked by visitor and email, not the chat itself", async () => {
    const server = createFakeServer();
    server.handle('archive:search', () => ({ ok: true, data: { items: [chat(), chat({ conversationId: NOW_CHAT })], next: null } }));
    server.setStatus('connected');
    useArchiveStore().start(server.client);
    const wrapper = mount(ArchiveEarlier, { props: { visitorId: VISITOR, email: 'vera@example.com', conversationId: NOW_CHAT } });
    await flushPromises();
    expect(server.callsOf('archive:search')).toEqual([{ visitorId: VISITOR, visitorEmail: 'vera@example.com' }]);
    const toggle = wrapper.get('button[aria-expanded]');
    expect(toggle.text()).toContain('Earlier chats (1)');
    expect(toggle.attributes('aria-expanded')).toBe('false');
    await toggle.trigger('click');
    expect(wrapper.findAll('[data-testid=archive-earlier-chat]')).toHaveLength(1);
  });

  it('shows nothing for a first-time visitor', async () => {
    const server = createFakeServer();
    server.handle('archive:search', () => ({ ok: true, data: { items: [], next: null } }));
    server.setStatus('connected');
    useArchiveStore().start(server.client);
    const wrapper = mount(ArchiveEarlier, { props: { visitorId: VISITOR, email: '', conversationId: NOW_CHAT } });
    await flushPromises();
    expect(server.callsOf('archive:search')).toEqual([{ visitorId: VISITOR }]);
    expect(wrapper.find('[data-testid=archive-earlier]').exists()).toBe(false);
  });
});
