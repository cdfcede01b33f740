import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHub } from '@/background/domains';
import { SERVER_DISCONNECT_RETRY_MS } from '@/background/hub';
import type { ChatAlerts } from '@/background/chats';
import { createBrowserAlerts } from '@/background/alerts';
import { createPortPair, type BackgroundMessage } from '@/utils/protocol';
import { createServerClient } from '@/utils/serverClient';
import type { Session } from '@/utils/session';
import type { ConversationView, MessageView } from '@@/shared/schemas/chats';
import { FakeSocket, conversation, flush, message } from './fakes';

const session: Session = {
  serverUrl: 'http://localhost:3000',
  token: 'tok-1',
  operator: { id: 'op-1', accountId: 'acc-1', email: 'op@acme.test', name: 'Olga', role: 'admin' },
  account: { id: 'acc-1', name: 'Acme' },
};

function recordingAlerts() {
  const log = {
    counts: [] as number[],
    chats: [] as ConversationView[],
    messages: [] as MessageView[],
    cleared: [] as string[],
  };
  const alerts: ChatAlerts = {
    setWaitingCount: (n) => log.counts.push(n),
    newChat: (c) => log.chats.push(c),
    newMessage: (m) => log.messages.push(m),
    clearChat: (id) => log.cleared.push(id),
  };
  return { alerts, log };
}

function setup(list: ConversationView[] = []) {
  const sockets: FakeSocket[] = [];
  const { alerts, log } = recordingAlerts();
  let unauthenticated = 0;
  const hub = createHub({
    createSocket: () => {
      const s = new FakeSocket();
      s.answer = (event) => (event === 'chat:list' ? { ok: true, data: list } : { ok: true, data: null });
      sockets.push(s);
      return s;
    },
    alerts,
    onUnauthenticated: () => unauthenticated++,
  });
  return { hub, sockets, log, unauthenticated: () => unauthenticated };
}

function panel(hub: ReturnType<typeof createHub>) {
  const [panelEnd, bgEnd] = createPortPair();
  const received: BackgroundMessage[] = [];
  panelEnd.onMessage.addListener((m) => received.push(m));
  hub.addPanel(bgEnd);
  return { port: panelEnd, received };
}

describe('background hub', () => {
  it('connects when a session exists and reports the status to panels', async () => {
    const { hub, sockets } = setup();
    const p = panel(hub);
    hub.setSession(session);
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.connectCalls).toBe(1);
    sockets[0]!.open();
    await flush();
    const statuses = p.received.filter((m) => m.type === 'status').map((m) => (m as { status: string }).status);
    expect(statuses).toEqual(['offline', 'connecting', 'connected']);
  });

  it('proxies a panel command to the socket and posts the ack back', async () => {
    const { hub, sockets } = setup();
    hub.setSession(session);
    sockets[0]!.open();
    const [panelEnd, bgEnd] = createPortPair();
    hub.addPanel(bgEnd);
    const client = createServerClient({ connect: () => panelEnd });
    const conv = conversation({ status: 'active', operatorId: 'op-1' });
    sockets[0]!.answer = (event, payload) =>
      event === 'chat:accept' ? { ok: true, data: { ...conv, id: (payload as { conversationId: string }).conversationId } } : undefined;
    const res = await client.request('chat:accept', { conversationId: conv.id });
    expect(res).toEqual({ ok: true, data: conv });
    expect(sockets[0]!.emitted.at(-1)).toEqual({ event: 'chat:accept', payload: { conversationId: conv.id } });
  });

  it('answers offline at once when the socket is not connected, and timeout when the ack never comes', async () => {
    const { hub, sockets } = setup();
    hub.setSession(session);
    const [panelEnd, bgEnd] = createPortPair();
    hub.addPanel(bgEnd);
    const client = createServerClient({ connect: () => panelEnd });
    expect(await client.request('visitor:list', {})).toMatchObject({ ok: false, error: { code: 'offline' } });
    sockets[0]!.open();
    sockets[0]!.answer = () => undefined;
    expect(await client.request('visitor:list', {})).toMatchObject({ ok: false, error: { code: 'timeout' } });
  });

  it('forwards every server event to every panel', async () => {
    const { hub, sockets } = setup();
    hub.setSession(session);
    sockets[0]!.open();
    const a = panel(hub);
    const b = panel(hub);
    const m = message(conversation().id, 1);
    sockets[0]!.serverEmit('message:sent', m);
    await flush();
    for (const p of [a, b]) expect(p.received).toContainEqual({ type: 'event', event: 'message:sent', payload: m });
  });

  it('counts waiting chats for the badge and notifies each new chat once', async () => {
    const already = conversation({ status: 'waiting' });
    const { hub, sockets, log } = setup([already]);
    hub.setSession(session);
    sockets[0]!.open();
    await flush();
    expect(hub.waitingCount).toBe(1);
    const fresh = conversation({ status: 'waiting', visitorName: 'Bob' });
    sockets[0]!.serverEmit('chat:requested', fresh);
    sockets[0]!.serverEmit('chat:requested', fresh);
    expect(hub.waitingCount).toBe(2);
    expect(log.chats.map((c) => c.visitorName)).toEqual(['Bob']);
    sockets[0]!.serverEmit('chat:updated', { ...fresh, status: 'active', operatorId: 'op-2' });
    expect(hub.waitingCount).toBe(1);
    expect(log.cleared).toContain(fresh.id);
    expect(log.counts.at(-1)).toBe(1);
  });

  it('notifies a visitor message in my chat unless a visible panel shows that chat', async () => {
    const mine = conversation({ status: 'active', operatorId: 'op-1' });
    const { hub, sockets, log } = setup([mine]);
    hub.setSession(session);
    sockets[0]!.open();
    await flush();
    sockets[0]!.serverEmit('message:sent', message(mine.id, 2));
    expect(log.messages).toHaveLength(1);

    const p = panel(hub);
    p.port.postMessage({ type: 'focus', conversationId: mine.id, visible: true });
    await flush();
    sockets[0]!.serverEmit('message:sent', message(mine.id, 3));
    sockets[0]!.serverEmit('message:sent', message(mine.id, 4, { author: 'operator' }));
    expect(log.messages).toHaveLength(1);

    p.port.postMessage({ type: 'focus', conversationId: mine.id, visible: false });
    await flush();
    sockets[0]!.serverEmit('message:sent', message(mine.id, 5));
    expect(log.messages).toHaveLength(2);
  });

  it('drops the session when the server refuses the token', async () => {
    const { hub, sockets, unauthenticated } = setup();
    hub.setSession(session);
    sockets[0]!.fail('unauthenticated');
    expect(unauthenticated()).toBe(1);
    expect(hub.status).toBe('offline');
    expect(sockets[0]!.disconnected).toBe(true);
  });

  it('reconnects a socket that gave up on the alarm tick, and replaces it on a new session', async () => {
    const { hub, sockets } = setup();
    hub.setSession(session);
    sockets[0]!.open();
    sockets[0]!.drop('io server disconnect');
    expect(hub.status).toBe('offline');
    hub.ensureConnected();
    expect(sockets[0]!.connectCalls).toBe(2);

    hub.setSession({ ...session, token: 'tok-2' });
    expect(sockets).toHaveLength(2);
    expect(sockets[0]!.disconnected).toBe(true);
    hub.setSession(null);
    expect(sockets[1]!.disconnected).toBe(true);
    expect(hub.status).toBe('offline');
  });

  it('tries once to reconnect soon after the server cut the socket (A5): a dead session signs out, a live one comes back', async () => {
    vi.useFakeTimers();
    try {
      const { hub, sockets, unauthenticated } = setup();
      hub.setSession(session);
      sockets[0]!.open();
      // Disabled (or signed out elsewhere): the one try is refused, and the panels go to sign-in.
      sockets[0]!.drop('io server disconnect');
      expect(hub.status).toBe('offline');
      vi.advanceTimersByTime(SERVER_DISCONNECT_RETRY_MS - 1);
      expect(sockets[0]!.connectCalls).toBe(1);
      vi.advanceTimersByTime(SERVER_DISCONNECT_RETRY_MS + 1);
      expect(sockets[0]!.connectCalls).toBe(2);
      sockets[0]!.fail('unauthenticated');
      expect(unauthenticated()).toBe(1);

      // A role change: the session lives on and the socket connects again.
      hub.setSession({ ...session, token: 'tok-2' });
      sockets[1]!.open();
      sockets[1]!.drop('io server disconnect');
      vi.advanceTimersByTime(2 * SERVER_DISCONNECT_RETRY_MS);
      expect(sockets[1]!.connectCalls).toBe(2);
      sockets[1]!.open();
      expect(hub.status).toBe('connected');
      // A transport failure is left to socket.io's own backoff; a socket that is no longer the hub's is left alone.
      sockets[1]!.drop('transport close');
      hub.setSession(null);
      vi.advanceTimersByTime(5 * SERVER_DISCONNECT_RETRY_MS);
      expect(sockets[1]!.connectCalls).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('tells the next panel to open a chat whose notification was clicked while no panel was open', async () => {
    const { hub } = setup();
    const c = conversation();
    hub.openChat(c.id);
    const p = panel(hub);
    await flush();
    expect(p.received).toContainEqual({ type: 'open-chat', conversationId: c.id });
  });
});

describe('browser alerts', () => {
  beforeEach(() => fakeBrowser.reset());

  it('shows the waiting count on the action badge and clears it at zero', async () => {
    const alerts = createBrowserAlerts();
    alerts.setWaitingCount(3, 'connected');
    await flush();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('3');
    alerts.setWaitingCount(0, 'connected');
    await flush();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
  });

  it('creates a "New chat from" notification with the question, and clears it', async () => {
    const alerts = createBrowserAlerts();
    const c = conversation({ visitorName: 'Bob', preview: 'Where is my order?' });
    alerts.newChat(c);
    await flush();
    const all = fakeBrowser.notifications.getAllCreateOptions();
    expect(all[`chat:${c.id}`]).toMatchObject({ title: 'New chat from Bob', message: 'Where is my order?' });
    alerts.clearChat(c.id);
    await flush();
    expect(await fakeBrowser.notifications.getAll()).toEqual({});
  });
});
