/** #5: the admin panel (options page): routes from the domain registry, the sign-in gate, "not allowed" for other roles. */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory } from 'vue-router';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import App from '@/entrypoints/options/App.vue';
import { adminDomains, createAdminRouter } from '@/admin/routes';
import { sessionItem, type Session } from '@/utils/session';
import { createDexieOutbox, createDexieTeamOutbox } from '@/utils/db';
import type { Role } from '@@/shared/schemas/auth';

const SERVER = 'http://localhost:3000';
const session = (role: Role): Session => ({
  serverUrl: SERVER,
  token: `tok-${role}`,
  operator: { id: 'op-1', accountId: 'acc', email: 'olga@acme.test', name: 'Olga', role },
  account: { id: 'acc', name: 'Acme' },
});

async function open(path: string) {
  const router = createAdminRouter(createMemoryHistory());
  await router.push(path);
  const pinia = createPinia();
  setActivePinia(pinia);
  const w = mount(App, { global: { plugins: [pinia, router] } });
  await router.isReady();
  for (let i = 0; i < 3; i++) {
    await vi.dynamicImportSettled();
    await flushPromises();
  }
  return { w, router };
}

let requests: string[] = [];
beforeEach(() => {
  fakeBrowser.reset();
  requests = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      requests.push(url);
      return new Response(JSON.stringify({ allowedOrigins: ['https://shop.example.com'] }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('admin panel', () => {
  it('asks to sign in first, with the same form as the side panel', async () => {
    const { w } = await open('/account');
    expect(w.find('[data-testid=login-email]').exists()).toBe(true);
    expect(w.find('nav').exists()).toBe(false);
  });

  it('shows an admin the navigation from the registry and the domain of the route', async () => {
    await sessionItem.setValue(session('admin'));
    const { w } = await open('/account');
    const links = w.findAll('nav[aria-label="Admin sections"] a');
    expect(links.map((a) => a.text())).toEqual(adminDomains.map((d) => d.label()));
    expect(w.get('[data-testid=admin-nav-account]').attributes('aria-current')).toBe('page');
    expect(w.get('h1').text()).toBe('Account');
    expect(w.findAll('[data-testid=origin] code').map((o) => o.text())).toEqual(['https://shop.example.com']);
    // #6: the page's Routing section reads the routing API besides.
    expect(requests.filter((r) => r.includes('/api/account'))).toEqual([`${SERVER}/api/account/settings`]);
  });

  it('takes an unknown address to the first domain', async () => {
    await sessionItem.setValue(session('admin'));
    const { router } = await open('/no-such-domain');
    expect(router.currentRoute.value.path).toBe(`/${adminDomains[0]!.path}`);
  });

  it('tells an operator the domain is not for their role, and asks the server nothing', async () => {
    await sessionItem.setValue(session('operator'));
    const { w } = await open('/account');
    expect(w.get('[data-testid=admin-not-allowed]').text()).toContain("Your role can't change Acme's settings.");
    expect(w.find('[data-testid=origins]').exists()).toBe(false);
    expect(requests).toEqual([]);
  });

  it('signs out from the admin panel and goes back to the sign-in form, leaving no queued message for the next operator', async () => {
    await sessionItem.setValue(session('admin'));
    // Messages of this operator still queued, to a visitor and to a colleague (W3).
    const createdAt = new Date().toISOString();
    await createDexieOutbox().put({ clientId: 'c-1', conversationId: 'chat-1', body: 'Hello', authorName: 'Ada', createdAt });
    await createDexieTeamOutbox().put({ clientId: 'c-2', teamChatId: 'team-1', body: 'Can you take it?', authorName: 'Ada', createdAt });
    const { w } = await open('/account');
    await w.get('[data-testid=logout]').trigger('click');
    await vi.waitFor(async () => expect(await sessionItem.getValue()).toBeNull());
    await flushPromises();
    expect(w.find('[data-testid=login-email]').exists()).toBe(true);
    expect(requests).toContain(`${SERVER}/api/auth/logout`);
    expect(await createDexieOutbox().all()).toEqual([]);
    expect(await createDexieTeamOutbox().all()).toEqual([]);
  });
});
