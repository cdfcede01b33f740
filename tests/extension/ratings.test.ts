/**
 * Ratings in the panel (V2, #5): a closed chat's rating in the chat window, loaded when the chat
 * is shown, live when the visitor rates it, asked again after a reconnect; text, never HTML.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import ChatRating from '@/components/chat/ChatRating.vue';
import { useRatingsStore } from '@/stores/ratings';
import type { RatingView } from '@@/shared/schemas/ratings';
import { createFakeServer } from './fakes';

const CONV = '00000000-0000-4000-8000-0000000000a1';
const OTHER = '00000000-0000-4000-8000-0000000000a2';

function rating(over: Partial<RatingView> = {}): RatingView {
  return { conversationId: CONV, score: 'good', comment: null, ratedAt: '2026-12-01T10:00:00.000Z', changeableUntil: '2026-12-01T10:10:00.000Z', ...over };
}

function started() {
  const server = createFakeServer();
  const stored: Record<string, RatingView | null> = {};
  server.handle('rating:get', ({ conversationId }) => ({ ok: true, data: stored[conversationId] ?? null }));
  server.setStatus('connected');
  const store = useRatingsStore();
  const stop = store.start(server.client);
  return { server, stored, store, stop };
}

beforeEach(() => setActivePinia(createPinia()));

describe('the rating of a closed chat, in the chat window', () => {
  it('asks for it when the chat is shown and says it in words: "Rated Good: “…”"', async () => {
    const { server, stored } = started();
    stored[CONV] = rating({ comment: 'Quick and kind' });
    const wrapper = mount(ChatRating, { props: { conversationId: CONV } });
    await flushPromises();
    expect(server.callsOf('rating:get')).toEqual([{ conversationId: CONV }]);
    const line = wrapper.get('[data-testid=chat-rating]');
    expect(line.text()).toBe('Rated Good: “Quick and kind”');
    expect(line.attributes('data-score')).toBe('good');
    expect(wrapper.get('[role=status]').element.contains(line.element)).toBe(true);
  });

  it('shows nothing for a chat without a rating, then the rating as soon as the visitor gives it', async () => {
    const { server } = started();
    const wrapper = mount(ChatRating, { props: { conversationId: CONV } });
    await flushPromises();
    expect(wrapper.find('[data-testid=chat-rating]').exists()).toBe(false);

    server.emit('rating:updated', rating({ score: 'bad' }));
    await flushPromises();
    expect(wrapper.get('[data-testid=chat-rating]').text()).toBe('Rated Bad');
    server.emit('rating:updated', rating({ score: 'bad', comment: 'Waited <b>ages</b>', ratedAt: '2026-12-01T10:01:00.000Z' }));
    // Another chat's rating changes nothing here.
    server.emit('rating:updated', rating({ conversationId: OTHER, score: 'good', comment: 'other' }));
    await flushPromises();
    const line = wrapper.get('[data-testid=chat-rating]');
    expect(line.text()).toBe('Rated Bad: “Waited <b>ages</b>”');
    expect(line.find('b').exists()).toBe(false);
    expect(line.attributes('data-score')).toBe('bad');
  });

  it('follows the chat shown, and cuts a long comment to a few lines with a button to read it all', async () => {
    const { stored } = started();
    stored[CONV] = rating({ comment: 'Short' });
    stored[OTHER] = rating({ conversationId: OTHER, score: 'bad', comment: 'x'.repeat(900) });
    const wrapper = mount(ChatRating, { props: { conversationId: CONV } });
    await flushPromises();
    expect(wrapper.find('button').exists()).toBe(false);
    await wrapper.setProps({ conversationId: OTHER });
    await flushPromises();
    const line = wrapper.get('[data-testid=chat-rating]');
    expect(line.classes()).toContain('clamp');
    const more = wrapper.get('button');
    expect(more.text()).toBe('Show all');
    expect(more.attributes('aria-expanded')).toBe('false');
    await more.trigger('click');
    expect(wrapper.get('[data-testid=chat-rating]').classes()).not.toContain('clamp');
    expect(wrapper.get('button').attributes('aria-expanded')).toBe('true');
  });

  it('asks again after a reconnect (updates sent meanwhile were missed), keeping the newer of answer and live update', async () => {
    const { server, stored, store } = started();
    await store.load(CONV);
    expect(store.byConversation[CONV]).toBeNull();

    server.setStatus('connecting');
    stored[CONV] = rating({ comment: 'said while you were away' });
    server.setStatus('connected');
    await flushPromises();
    expect(server.callsOf('rating:get')).toHaveLength(2);
    expect(store.byConversation[CONV]?.comment).toBe('said while you were away');

    // An answer older than what a live update brought is not kept.
    stored[CONV] = rating({ comment: 'old', ratedAt: '2026-12-01T09:00:00.000Z' });
    await store.load(CONV, true);
    expect(store.byConversation[CONV]?.comment).toBe('said while you were away');
  });

  it('forgets everything on sign-out', async () => {
    const { server, store, stop } = started();
    server.emit('rating:updated', rating());
    expect(store.byConversation[CONV]).toBeTruthy();
    stop();
    expect(store.byConversation).toEqual({});
    server.emit('rating:updated', rating());
    expect(store.byConversation).toEqual({});
  });
});
