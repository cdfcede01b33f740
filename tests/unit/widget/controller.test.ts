import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VisitorServerToClient, VisitorSession } from '../../../shared/events';
import type { ConversationView, MessageView } from '../../../shared/schemas/chats';
import { ChatController, type Payload, type Transport } from '../../../widget/src/chat/controller';
import { createStore } from '../../../widget/src/storage';

const CONV = '00000000-0000-4000-8000-0000000000c1';
const SYNC_PAGE = 2;

/** A tiny in-memory `/visitor` server: stores messages once per clientId, pages chat:sync. */
class FakeServer {
  messages: MessageView[] = [];
  conversation: ConversationView = {
    id: CONV, visitorId: 'v1', status: 'active', visitorName: 'Vic', visitorEmail: 'vic@example.com', operatorId: 'o1',
    operatorName: 'Olga', createdAt: '2026-01-01T12:00:00Z', acceptedAt: null, closedAt: null, lastSeq: 0, lastAuthor: null, lastMessageAt: null, preview: '',
  };
  /** While set, message:send commits but the ack never comes (a connection dying mid-flight). */
  loseAcks = false;
  pending: ((e: Error) => void)[] = [];

  add(author: MessageView['author'], body: string, clientId = `srv${this.messages.length + 1}xxxxx`): MessageView {
    const existing = this.messages.find((m) => m.clientId === clientId);
    if (existing) return existing;
    const m: MessageView = { conversationId: CONV, seq: this.messages.length + 1, clientId, author, authorName: author === 'operator' ? 'Olga' : 'Vic', body, createdAt: new Date().toISOString() };
    this.messages.push(m);
    this.conversation.lastSeq = m.seq;
    return m;
  }

  handle(event: string, payload: any): Promise<unknown> {
    if (event === 'message:send') {
      const m = this.add('visitor', payload.body, payload.clientId);
      if (this.loseAcks) return new Promise((_, reject) => this.pending.push(reject));
      return Promise.resolve({ ok: true, data: m });
    }
    if (event === 'chat:sync') return Promise.resolve({ ok: true, data: this.messages.filter((m) => m.seq > payload.afterSeq).slice(0, SYNC_PAGE) });
    return Promise.resolve({ ok: true, data: null });
  }
}

class FakeTransport implements Transport {
  connected = false;
  requests: { event: string; payload: any }[] = [];
  private handlers: Record<string, (...args: any[]) => void> = {};
  private onDown: (() => void)[] = [];
  constructor(readonly server: FakeServer) {}
  on<K extends keyof VisitorServerToClient>(event: K, fn: VisitorServerToClient[K]) {
    this.handlers[event] = fn as never;
  }
  onDisconnect(fn: () => void) {
    this.onDown.push(fn);
  }
  request(event: any, payload: any): Promise<any> {
    if (!this.connected) return Promise.reject(new Error('not connected'));
    this.requests.push({ event, payload });
    return this.server.handle(event, payload);
  }
  push<K extends keyof VisitorServerToClient>(event: K, ...args: Parameters<VisitorServerToClient[K]>) {
    this.handlers[event]!(...args);
  }
  /** Connects and delivers `session:ready` with the first `page` messages of the chat. */
  async up(page = 50, token = 'token-1') {
    this.connected = true;
    const session: VisitorSession = { visitorId: 'v1', visitorToken: token, accountName: 'Acme', operatorsOnline: 1, chat: { conversation: { ...this.server.conversation }, messages: this.server.messages.slice(0, page) } };
    this.push('session:ready', session);
    await settle();
  }
  down() {
    this.connected = false;
    for (const reject of this.server.pending.splice(0)) reject(new Error('socket has been disconnected'));
    for (const fn of this.onDown) fn();
  }
  sends(): Payload<'message:send'>[] {
    return this.requests.filter((r) => r.event === 'message:send').map((r) => r.payload);
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k), clear: () => m.clear(), key: () => null, get length() { return m.size; } };
}

function setup(storage = memoryStorage(), server = new FakeServer()) {
  const transport = new FakeTransport(server);
  const store = createStore('acc1', storage);
  const ctrl = new ChatController(transport, store, () => {}, () => ({ url: 'https://shop.example/', title: 'Shop' }));
  return { ctrl, transport, server, store, storage };
}

const bodies = (ctrl: ChatController) => ctrl.state.messages.map((m) => m.body);

afterEach(() => vi.useRealTimers());

describe('widget chat controller', () => {
  it('resends unacknowledged messages after a reconnect, in order and with the same clientIds; the server stores each once', async () => {
    const { ctrl, transport, server } = setup();
    await transport.up();
    server.loseAcks = true;
    ctrl.send('one');
    ctrl.send('two');
    ctrl.send('three');
    await settle();
    const first = transport.sends().map((p) => p.clientId);
    expect(first).toHaveLength(1); // one at a time: the others wait behind the unacknowledged one

    transport.down();
    await settle();
    expect(ctrl.state.outbox.map((o) => o.body)).toEqual(['one', 'two', 'three']);
    server.loseAcks = false;
    await transport.up(0);
    await settle();

    expect(server.messages.map((m) => m.body)).toEqual(['one', 'two', 'three']);
    expect(bodies(ctrl)).toEqual(['one', 'two', 'three']);
    expect(ctrl.state.outbox).toEqual([]);
    // 'one' came back through chat:sync and was not sent again; the rest kept their ids.
    const sent = transport.sends();
    expect(sent.map((p) => p.body)).toEqual(['one', 'two', 'three']);
    expect(sent[0]!.clientId).toBe(first[0]);
    expect(new Set(sent.map((p) => p.clientId)).size).toBe(3);
  });

  it('keeps unsent messages across a page reload and sends them with their original clientIds', async () => {
    const storage = memoryStorage();
    const server = new FakeServer();
    const a = setup(storage, server);
    await a.transport.up();
    a.transport.down();
    a.ctrl.send('written while offline');
    a.ctrl.send('and another');
    const queued = a.ctrl.state.outbox.map((o) => o.clientId);
    expect(a.transport.sends()).toEqual([]);

    const b = setup(storage, server); // the page reloads: a new widget, same localStorage
    expect(b.ctrl.state.outbox.map((o) => o.clientId)).toEqual(queued);
    await b.transport.up();
    await settle();
    expect(b.transport.sends().map((p) => p.clientId)).toEqual(queued);
    expect(server.messages.map((m) => m.body)).toEqual(['written while offline', 'and another']);
    expect(storage.getItem('sidedesk:acc1:outbox')).toBeNull();
  });

  it('catches up on reconnect by paging chat:sync from the last seq it holds', async () => {
    const { ctrl, transport, server } = setup();
    for (let i = 1; i <= 7; i++) server.add('operator', `m${i}`);
    await transport.up(2);
    await settle();
    const syncs = transport.requests.filter((r) => r.event === 'chat:sync').map((r) => r.payload.afterSeq);
    expect(syncs).toEqual([2, 4, 6]);
    expect(ctrl.state.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('shows a message once when the live event and the ack both bring it', async () => {
    const { ctrl, transport, server } = setup();
    await transport.up();
    ctrl.send('hello');
    const m = server.messages.at(-1)!;
    transport.push('message:sent', m);
    await settle();
    transport.push('message:sent', { ...m });
    expect(bodies(ctrl)).toEqual(['hello']);
  });

  it('counts operator messages that arrive while the panel is closed, and clears them on open', async () => {
    const { ctrl, transport, server } = setup();
    await transport.up();
    transport.push('message:sent', server.add('operator', 'hi'));
    transport.push('message:sent', server.add('operator', 'anyone there?'));
    expect(ctrl.state.unread).toBe(2);
    ctrl.setOpen(true);
    expect(ctrl.state.unread).toBe(0);
    transport.push('message:sent', server.add('operator', 'seen at once'));
    expect(ctrl.state.unread).toBe(0);
  });

  it('keeps the visitor token the server issues, replacing an old one', async () => {
    const { transport, store } = setup();
    store.set('token', 'stale');
    await transport.up(50, 'fresh-token');
    expect(store.get('token', '')).toBe('fresh-token');
  });

  it('reports the page on every connect', async () => {
    const { transport } = setup();
    await transport.up();
    transport.down();
    await transport.up();
    expect(transport.requests.filter((r) => r.event === 'page:view')).toHaveLength(2);
  });

  it('forgets the operator typing after a few seconds without an update', async () => {
    const { ctrl, transport } = setup();
    await transport.up();
    vi.useFakeTimers();
    transport.push('typing:updated', { conversationId: CONV, author: 'operator', name: 'Olga', typing: true });
    expect(ctrl.state.typing).toBe('Olga');
    vi.advanceTimersByTime(6500);
    expect(ctrl.state.typing).toBeNull();
  });
});
