/** #4: the options page's "Website addresses" section (the websites the account's widget may run on). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import AccountOrigins from '@/components/admin/account/AccountOrigins.vue';
import type { Session } from '@/utils/session';
import type { Role } from '@@/shared/schemas/auth';

const SERVER = 'http://localhost:3000';

function session(role: Role): Session {
  return {
    serverUrl: SERVER,
    token: `tok-${role}`,
    operator: { id: 'op-1', accountId: 'acc', email: 'olga@acme.test', name: 'Olga', role },
    account: { id: 'acc', name: 'Acme' },
  };
}

const json = (status: number, body: unknown) =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A fake /api/account/settings holding `origins`; records every request. */
function settingsServer(origins: string[], opts: { failGet?: boolean; failPatch?: Response } = {}) {
  const requests: { method: string; url: string; body: unknown; auth: string | null }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      requests.push({ method, url, body: init.body ? JSON.parse(String(init.body)) : undefined, auth: new Headers(init.headers).get('Authorization') });
      if (method === 'GET') {
        if (opts.failGet) throw new TypeError('Failed to fetch');
        return json(200, { allowedOrigins: origins });
      }
      if (opts.failPatch) return opts.failPatch;
      origins = (JSON.parse(String(init.body)) as { allowedOrigins: string[] }).allowedOrigins;
      return json(200, { allowedOrigins: origins });
    }),
  );
  return { requests };
}

beforeEach(() => {
  fakeBrowser.reset();
  setActivePinia(createPinia());
});
afterEach(() => vi.unstubAllGlobals());

describe('options: website addresses', () => {
  it('shows the empty state, refuses junk beside the field, adds a normalised address and saves the list', async () => {
    const api = settingsServer([]);
    const w = mount(AccountOrigins, { props: { session: session('admin') } });
    expect(w.find('[role=status]').text()).toContain('Loading website addresses');
    await flushPromises();
    expect(w.get('[data-testid=origins-empty]').text()).toContain("this server's demo site");
    expect(w.get('[data-testid=origins-save]').attributes('disabled')).toBeDefined();

    const input = w.get('[data-testid=origin-input]');
    expect(w.get(`label[for="${input.attributes('id')}"]`).text()).toBe('Add a website');
    await input.setValue('not a site');
    await w.get('form').trigger('submit');
    expect(w.get('[data-testid=origin-error]').text()).toBe('"not a site" is not a website address; enter one like https://shop.example.com');
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(input.attributes('aria-describedby')).toContain(w.get('[data-testid=origin-error]').attributes('id'));

    await input.setValue('Shop.Example.com/cart');
    expect(w.find('[data-testid=origin-error]').exists()).toBe(false);
    await w.get('form').trigger('submit');
    await input.setValue('*.example.org');
    await w.get('form').trigger('submit');
    await input.setValue('https://shop.example.com');
    await w.get('form').trigger('submit');
    expect(w.get('[data-testid=origin-error]').text()).toBe('This website is already in the list.');
    expect(w.findAll('[data-testid=origin]').map((li) => li.find('code').text())).toEqual(['https://shop.example.com', 'https://*.example.org']);
    expect(w.text()).toContain('Not saved yet.');

    await w.get('button[aria-label="Remove https://*.example.org"]').trigger('click');
    await w.get('[data-testid=origins-save]').trigger('click');
    await flushPromises();
    expect(api.requests.at(-1)).toEqual({
      method: 'PATCH',
      url: `${SERVER}/api/account/settings`,
      body: { allowedOrigins: ['https://shop.example.com'] },
      auth: 'Bearer tok-admin',
    });
    expect(w.text()).toContain('Saved.');
    expect(w.get('[data-testid=origins-save]').attributes('disabled')).toBeDefined();
  });

  it("shows the server's refusal when saving fails, and keeps the draft", async () => {
    settingsServer(['https://shop.example.com'], {
      failPatch: json(403, { error: { code: 'forbidden', message: 'Only an admin can change the account settings.' } }),
    });
    const w = mount(AccountOrigins, { props: { session: session('admin') } });
    await flushPromises();
    await w.get('button[aria-label="Remove https://shop.example.com"]').trigger('click');
    await w.get('[data-testid=origins-save]').trigger('click');
    await flushPromises();
    expect(w.get('[data-testid=origins-save-error]').text()).toBe('Could not save. Only an admin can change the account settings.');
    expect(w.get('[data-testid=origins-save-error]').attributes('role')).toBe('alert');
    expect(w.find('[data-testid=origins-empty]').exists()).toBe(true);
  });

  it('shows operators the list without any way to change it', async () => {
    settingsServer(['https://shop.example.com']);
    const w = mount(AccountOrigins, { props: { session: session('operator') } });
    await flushPromises();
    expect(w.findAll('[data-testid=origin]').map((li) => li.text())).toEqual(['https://shop.example.com']);
    expect(w.find('form').exists()).toBe(false);
    expect(w.find('button').exists()).toBe(false);
    expect(w.text()).toContain('Only an admin can change these.');
  });

  it('says when the list cannot be loaded and tries again on request', async () => {
    settingsServer([], { failGet: true });
    const w = mount(AccountOrigins, { props: { session: session('admin') } });
    await flushPromises();
    expect(w.get('[role=alert]').text()).toContain("Can't reach the server at http://localhost:3000");
    settingsServer(['https://shop.example.com']);
    await w.get('[role=alert] button').trigger('click');
    await flushPromises();
    expect(w.findAll('[data-testid=origin]')).toHaveLength(1);
  });
});
