import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mount, flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import VisitorList from '@/components/visitors/VisitorList.vue';
import ChatMessages from '@/components/chat/ChatMessages.vue';
import ChatComposer from '@/components/chat/ChatComposer.vue';
import AuthLogin from '@/components/auth/AuthLogin.vue';
import { useVisitorsStore } from '@/stores/visitors';
import { useSessionStore } from '@/stores/session';
import { sessionItem } from '@/utils/session';
import { addPending, mergeMessages } from '@/utils/messages';
import { message, visitor } from './fakes';

beforeEach(() => {
  fakeBrowser.reset();
  setActivePinia(createPinia());
});
afterEach(() => vi.unstubAllGlobals());

describe('visitor list', () => {
  function withVisitors(n: number) {
    const store = useVisitorsStore();
    store.byId = new Map(Array.from({ length: n }, (_, i) => [`visitor-${i}`, visitor(i)]));
    store.loaded = true;
    return store;
  }

  it('renders only the visible rows of thousands of visitors', async () => {
    withVisitors(5000);
    const wrapper = mount(VisitorList);
    await flushPromises();
    const rows = wrapper.findAll('[data-testid=visitor-row]');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(60);
    expect(wrapper.text()).toContain('5000');
  });

  it('shows state, page title and URL path on each row and expands to every detail', async () => {
    const store = withVisitors(1);
    store.byId = new Map([
      ['v1', visitor(1, { id: 'v1', state: 'waiting', name: 'Alice', currentUrl: 'http://localhost:3000/demo/pricing.html', pageTitle: 'Pricing' })],
    ]);
    const wrapper = mount(VisitorList);
    await flushPromises();
    const row = wrapper.get('[data-testid=visitor-row]');
    expect(row.attributes('data-visitor-id')).toBe('v1');
    expect(row.attributes('data-state')).toBe('waiting');
    expect(row.get('[data-testid=visitor-page]').text()).toContain('/demo/pricing.html');
    expect(row.get('[data-testid=visitor-page]').text()).toContain('Pricing');
    await row.get('button').trigger('click');
    const details = wrapper.get('.vrow-details').text();
    for (const expected of ['http://localhost:3000/demo/pricing.html', 'Berlin', '203.0.113.5', 'Chrome 140', 'Linux', '1920x1080', 'de-DE']) {
      expect(details).toContain(expected);
    }
    expect(row.get('button').attributes('aria-expanded')).toBe('true');
  });

  it('shows an empty state with a way to the demo site', async () => {
    withVisitors(0);
    const wrapper = mount(VisitorList);
    expect(wrapper.text()).toContain('No visitors right now');
    expect(wrapper.get('a').attributes('href')).toBe('http://localhost:3000/demo/');
  });
});

describe('chat messages', () => {
  it('renders visitor text as text, never as HTML', () => {
    const conv = '00000000-0000-4000-8000-000000000001';
    const list = mergeMessages([], [message(conv, 1, { body: '<img src=x onerror=alert(1)><b>bold</b>' })]);
    const wrapper = mount(ChatMessages, { props: { messages: list, label: 'Chat', online: true, loading: false } });
    const body = wrapper.get('[data-testid=message-body]');
    expect(body.text()).toBe('<img src=x onerror=alert(1)><b>bold</b>');
    expect(wrapper.find('img').exists()).toBe(false);
    expect(wrapper.find('b').exists()).toBe(false);
    expect(wrapper.get('[data-testid=message]').attributes()).toMatchObject({ 'data-author': 'visitor', 'data-seq': '1' });
    expect(wrapper.find('[role=log]').exists()).toBe(true);
  });

  it('shows a message refused for good as one that can’t be sent, with Edit and Discard and no Retry (#4)', async () => {
    const conv = '00000000-0000-4000-8000-000000000001';
    const list = addPending([], { ...message(conv, 1, { author: 'operator', body: 'nope' }), seq: null, state: 'failed', error: 'message_rejected' });
    const wrapper = mount(ChatMessages, { props: { messages: list, label: 'Chat', online: true, loading: false } });
    const failed = wrapper.get('[data-testid=message-failed]');
    expect(failed.get('[role=alert]').text()).toBe("This message can't be sent. Edit it and send it again.");
    expect(failed.findAll('button').map((b) => [b.text(), b.attributes('aria-label')])).toEqual([
      ['Edit', 'Edit this message'],
      ['Discard', 'Remove this message'],
    ]);
    await failed.get('[data-testid=message-edit]').trigger('click');
    await failed.get('[data-testid=message-discard]').trigger('click');
    expect(wrapper.emitted('edit')).toEqual([[list[0]!.clientId]]);
    expect(wrapper.emitted('discard')).toEqual([[list[0]!.clientId]]);
  });
});

describe('composer', () => {
  it('sends on Enter and keeps Shift+Enter for a new line', async () => {
    const wrapper = mount(ChatComposer, { props: { modelValue: 'line one', 'onUpdate:modelValue': (v: string) => wrapper.setProps({ modelValue: v }) } });
    const input = wrapper.get('[data-testid=composer-input]');
    await input.trigger('keydown', { key: 'Enter', shiftKey: true });
    expect(wrapper.emitted('send')).toBeUndefined();
    await input.trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('send')).toEqual([['line one']]);
    expect(wrapper.props('modelValue')).toBe('');
  });
});

describe('login', () => {
  async function submit(fetchImpl: typeof fetch) {
    vi.stubGlobal('fetch', vi.fn(fetchImpl));
    const session = useSessionStore();
    await session.init();
    const wrapper = mount(AuthLogin);
    await wrapper.get('[data-testid=login-server]').setValue('http://localhost:3000');
    await wrapper.get('[data-testid=login-email]').setValue('op@acme.test');
    await wrapper.get('[data-testid=login-password]').setValue('secret123');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    return wrapper;
  }
  const json = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  it('says so when the password is wrong', async () => {
    const w = await submit(json(401, { error: { code: 'unauthenticated', message: 'Wrong email or password.' } }));
    expect(w.get('[data-testid=login-error]').text()).toBe('Wrong email or password.');
  });

  it('says so when the server is unreachable', async () => {
    const w = await submit(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(w.get('[data-testid=login-error]').text()).toContain("Can't reach the server at http://localhost:3000");
  });

  it('says so when rate limited', async () => {
    const w = await submit(json(429, { error: { code: 'rate_limited', message: 'Too many' } }));
    expect(w.get('[data-testid=login-error]').text()).toContain('Too many attempts');
  });

  it('stores the session for the background on success', async () => {
    const result = {
      token: 'tok',
      operator: { id: 'op-1', accountId: 'acc', email: 'op@acme.test', name: 'Olga', role: 'admin' },
      account: { id: 'acc', name: 'Acme' },
    };
    const w = await submit(json(200, result));
    expect(w.find('[data-testid=login-error]').exists()).toBe(false);
    expect(await sessionItem.getValue()).toEqual({ serverUrl: 'http://localhost:3000', ...result });
  });
});
