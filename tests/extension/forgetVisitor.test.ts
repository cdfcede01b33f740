/** #4: "Forget this visitor" in the visitors grid, and what the stores and the background do with a removal in visitors:updated. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import VisitorList from '@/components/visitors/VisitorList.vue';
import { createHub } from '@/background/domains';
import { useChatsStore } from '@/stores/chats';
import { useChatListStore } from '@/stores/chatList';
import { useChatWindowsStore } from '@/stores/chatWindows';
import { useSessionStore } from '@/stores/session';
import { useVisitorsStore } from '@/stores/visitors';
import { createMemoryOutbox } from '@/utils/outbox';
import { sessionItem, type Session } from '@/utils/session';
import type { Role } from '@@/shared/schemas/auth';
import { conversation, createFakeServer, FakeSocket, flush, visitor } from './fakes';

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

beforeEach(() => {
  fakeBrowser.reset();
  setActivePinia(createPinia());
});
afterEach(() => vi.unstubAllGlobals());

describe('forget this visitor', () => {
  async function grid(role: Role) {
    await sessionItem.setValue(session(role));
    await useSessionStore().init();
    const fake = createFakeServer();
    const alice = visitor(1, { id: 'v-alice', name: 'Alice' });
    fake.handle('visitor:list', () => ({ ok: true, data: [alice, visitor(2)] }));
    const store = useVisitorsStore();
    store.start(fake.client);
    fake.setStatus('connected');
    await flushPromises();
    const w = mount(VisitorList);
    await flushPromises();
    await w.get('[data-visitor-id=v-alice] .vrow-head').trigger('click');
    return { w, fake, store };
  }

  it('is offered to admins in the expanded row, asks first, then deletes on the server and drops the row', async () => {
    const requests: { method?: string; url: string }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit = {}) => (requests.push({ method: init.method, url }), json(204, null))),
    );
    const { w, store } = await grid('admin');
    await w.get('[data-testid=visitor-forget]').trigger('click');
    const confirm = w.get('[data-testid=visitor-forget-confirm]');
    expect(confirm.text()).toContain('Forget Alice? Their chats, messages and page history are deleted for good.');
    expect(requests).toEqual([]);
    await confirm.get('.btn-danger').trigger('click');
    await flushPromises();
    expect(requests).toEqual([{ method: 'DELETE', url: `${SERVER}/api/visitors/v-alice` }]);
    expect(store.get('v-alice')).toBeUndefined();
    expect(w.find('[data-visitor-id=v-alice]').exists()).toBe(false);
  });

  it('can be cancelled, and says why when the server refuses', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(404, { error: { code: 'not_found', message: 'Visitor not found.' } })),
    );
    const { w, store } = await grid('admin');
    await w.get('[data-testid=visitor-forget]').trigger('click');
    await w.get('[data-testid=visitor-forget-confirm] .btn:not(.btn-danger)').trigger('click');
    expect(w.find('[data-testid=visitor-forget-confirm]').exists()).toBe(false);
    await w.get('[data-testid=visitor-forget]').trigger('click');
    await w.get('[data-testid=visitor-forget-confirm] .btn-danger').trigger('click');
    await flushPromises();
    expect(w.get('[role=alert]').text()).toBe('Could not forget the visitor: Visitor not found.');
    expect(store.get('v-alice')).toBeDefined();
  });

  it('is not offered to operators or supervisors', async () => {
    for (const role of ['operator', 'supervisor'] as const) {
      setActivePinia(createPinia());
      const { w } = await grid(role);
      expect(w.find('.vrow-details').exists()).toBe(true);
      expect(w.find('[data-testid=visitor-forget]').exists(), role).toBe(false);
    }
  });

  it('drops a forgotten visitor from the grid on a removal in visitors:updated, also against a late row of theirs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { fake, store } = await grid('operator');
      fake.emit('visitors:updated', { visitors: [], removed: [{ visitorId: 'v-alice', conversationIds: [] }] });
      expect(store.get('v-alice')).toBeUndefined();
      // A row read before the delete arrives in a later frame: the row stays gone.
      fake.emit('visitors:updated', { visitors: [visitor(1, { id: 'v-alice', name: 'Alice' })], removed: [] });
      vi.advanceTimersByTime(0);
      expect(store.get('v-alice')).toBeUndefined();
      expect(store.get('visitor-2')).toBeDefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it("closes the forgotten visitor's chats in the panel and takes them off the badge", async () => {
    const fake = createFakeServer();
    const mine = conversation({ status: 'active', operatorId: 'op-1', visitorId: 'v-alice' });
    const other = conversation({ status: 'active', operatorId: 'op-1' });
    fake.handle('chat:list', () => ({ ok: true, data: [mine, other] }));
    fake.handle('chat:get', (p: { conversationId: string }) => ({
      ok: true,
      data: { conversation: p.conversationId === mine.id ? mine : other, messages: [] },
    }));
    fake.handle('chat:sync', () => ({ ok: true, data: [] }));
    const chats = useChatsStore();
    chats.start({ server: fake.client, operatorId: 'op-1', operatorName: 'Olga', outbox: createMemoryOutbox() });
    fake.setStatus('connected');
    await flushPromises();
    chats.open(mine.id);
    const windows = useChatWindowsStore();
    expect(windows.openIds).toEqual([mine.id, other.id]);
    fake.emit('visitors:updated', { visitors: [], removed: [{ visitorId: 'v-alice', conversationIds: [mine.id] }] });
    expect(windows.openIds).toEqual([other.id]);
    expect(windows.activeId).toBe(other.id);
    expect(useChatListStore().conversations[mine.id]).toBeUndefined();

    // The background: a waiting chat of the forgotten visitor no longer counts.
    const socket = new FakeSocket();
    const counts: number[] = [];
    const waiting = conversation({ status: 'waiting', visitorId: 'v-alice' });
    socket.answer = (event) => (event === 'chat:list' ? { ok: true, data: [waiting] } : { ok: true, data: null });
    const hub = createHub({
      createSocket: () => socket,
      alerts: { setWaitingCount: (n) => counts.push(n), newChat() {}, newMessage() {}, clearChat() {} },
      onUnauthenticated() {},
    });
    hub.setSession(session('operator'));
    socket.open();
    await flush();
    await flush();
    expect(hub.waitingCount).toBe(1);
    socket.serverEmit('visitors:updated', { visitors: [], removed: [{ visitorId: 'v-alice', conversationIds: [waiting.id] }] });
    expect(hub.waitingCount).toBe(0);
    expect(counts.at(-1)).toBe(0);
  });
});
