/**
 * Monitoring across a panel reload (W4, #7): the chats a supervisor monitored are watched again
 * (`chat:watch`) when the panel comes back, so the monitored operator still sees who is watching;
 * one that is gone meanwhile is dropped; signing out forgets them.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { useSupervisionStore } from '@/stores/supervision';
import { monitoringItem, type Session } from '@/utils/session';
import { createFakeServer, flush } from './fakes';

const session: Session = {
  serverUrl: 'http://localhost:3000',
  token: 'tok-1',
  operator: { id: 'op-sue', accountId: 'acc-1', email: 'sue@acme.test', name: 'Sue', role: 'supervisor' },
  account: { id: 'acc-1', name: 'Acme' },
};
const KEPT = '00000000-0000-4000-8000-00000000c001';
const GONE = '00000000-0000-4000-8000-00000000c002';

async function settle() {
  for (let i = 0; i < 10; i++) await flush();
}

/** A panel: a fresh Pinia (a reload keeps nothing in memory) and a connected server. */
function openPanel() {
  setActivePinia(createPinia());
  const fake = createFakeServer();
  const watched: string[] = [];
  fake.handle('chat:watch', ({ conversationId }: { conversationId: string }) => {
    watched.push(conversationId);
    if (conversationId === GONE) return { ok: false, error: { code: 'not_found', message: 'No such chat.' } };
    return { ok: true, data: { watchers: [{ operatorId: 'op-sue', name: 'Sue' }] } };
  });
  fake.setStatus('connected');
  const store = useSupervisionStore();
  const stop = store.start(session, fake.client);
  return { store, stop, watched };
}

describe('supervision store: monitoring across a reload (#7)', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    // loadSettings asks the REST API: not what this test is about.
    vi.stubGlobal('fetch', () => Promise.resolve(new Response(JSON.stringify({ operatorsMayMonitor: false }), { status: 200 })));
  });

  it('watches again after a reload what was monitored before it, drops a chat that is gone, forgets all on sign-out', async () => {
    const first = openPanel();
    await settle();
    await first.store.watch(KEPT);
    await first.store.watch(GONE); // refused now too: it is never kept
    expect(first.store.isMonitoring(KEPT)).toBe(true);
    await settle();
    expect(await monitoringItem.getValue()).toEqual([KEPT]);

    // The panel reloads: the new one knows nothing but what was saved, and watches it again.
    const second = openPanel();
    await settle();
    expect(second.watched).toEqual([KEPT]);
    expect(second.store.isMonitoring(KEPT)).toBe(true);
    expect(second.store.watchers[KEPT]).toEqual([{ operatorId: 'op-sue', name: 'Sue' }]);

    // Signing out (the store stops) forgets them: the next panel watches nothing.
    second.stop();
    await settle();
    const third = openPanel();
    await settle();
    expect(third.watched).toEqual([]);
    vi.unstubAllGlobals();
  });
});
