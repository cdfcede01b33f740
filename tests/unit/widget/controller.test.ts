import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatController } from '../../../widget/src/chat/controller';
import { displayMessages } from '../../../widget/src/chat/state';
import { SYNC_PAGE_SIZE } from '../../../shared/protocol';
import { CONV, FakeServer, memoryStorage, settle, setup } from './fakes';

const bodies = (ctrl: ChatController) => ctrl.state.messages.map((m) => m.body);

const page = { url: 'https://shop.example/', title: 'Shop' };
afterEach(() => {
  vi.useRealTimers();
  page.url = 'https://shop.example/';
});

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

  it('starts afresh when the server knows it as another visitor (forgotten or expired, #4): no old chat, outbox or contact details', async () => {
    const { ctrl, transport, server, store } = setup();
    server.add('operator', 'hello Vic');
    await transport.up();
    expect(ctrl.state.conversation?.id).toBe(CONV);
    store.set('profile', { name: 'Vic', email: 'vic@example.com' });
    transport.down();
    ctrl.send('written before I was forgotten');
    expect(ctrl.state.outbox).toHaveLength(1);

    server.hasChat = false;
    await transport.up(50, 'token-2', 'v2');
    expect(ctrl.state.conversation).toBeNull();
    expect(ctrl.state.messages).toEqual([]);
    expect(ctrl.state.outbox).toEqual([]);
    expect(store.get('outbox', null)).toBeNull();
    expect(ctrl.profile()).toEqual({ name: '', email: '' });
    expect(transport.sends()).toEqual([]);
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

  it('catches up on reconnect by paging chat:sync from the last seq it holds, until a page is short', async () => {
    const { ctrl, transport, server } = setup();
    const total = 2 * SYNC_PAGE_SIZE + 3;
    for (let i = 1; i <= total; i++) server.add('operator', `m${i}`);
    await transport.up(2);
    await settle();
    const syncs = transport.requests.filter((r) => r.event === 'chat:sync').map((r) => r.payload.afterSeq);
    expect(syncs).toEqual([2, 2 + SYNC_PAGE_SIZE, 2 + 2 * SYNC_PAGE_SIZE]);
    expect(ctrl.state.messages.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('fills a gap: a live message past the next seq syncs from the end of the unbroken run', async () => {
    const { ctrl, transport, server } = setup();
    server.add('operator', 'one');
    await transport.up();
    server.add('operator', 'two (its message:sent was lost)');
    server.add('operator', 'three (also lost)');
    const before = transport.requests.length;
    transport.push('message:sent', server.add('operator', 'four'));
    // Until the sync answers, the handshake of a reconnect would ask for everything after 1 again.
    expect(ctrl.resumeHint()).toEqual({ chat: { id: CONV, lastSeq: 1 } });
    await settle();
    expect(transport.requests.slice(before).map((r) => [r.event, r.payload.afterSeq])).toEqual([['chat:sync', 1]]);
    expect(bodies(ctrl)).toEqual(['one', 'two (its message:sent was lost)', 'three (also lost)', 'four']);
    expect(ctrl.resumeHint()).toEqual({ chat: { id: CONV, lastSeq: 4 } });
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

  it('reports a page once: a reconnect on the same page does not repeat it, a new page is reported (#4)', async () => {
    const { ctrl, transport } = setup(undefined, undefined, undefined, () => ({ ...page }));
    const pageViews = () => transport.requests.filter((r) => r.event === 'page:view').map((r) => r.payload.url);
    await transport.up();
    transport.down();
    await transport.up();
    expect(pageViews()).toEqual(['https://shop.example/']);
    page.url = 'https://shop.example/cart';
    await ctrl.trackPage();
    transport.down();
    await transport.up();
    expect(pageViews()).toEqual(['https://shop.example/', 'https://shop.example/cart']);
  });

  it('reports the page again on the next connect when the last report was not acknowledged', async () => {
    const { transport, server } = setup();
    const handle = server.handle.bind(server);
    let refuse = true;
    server.handle = (event, payload) => (event === 'page:view' && refuse ? Promise.reject(new Error('gone')) : handle(event, payload));
    await transport.up();
    transport.down();
    refuse = false;
    await transport.up();
    expect(transport.requests.filter((r) => r.event === 'page:view')).toHaveLength(2);
  });

  it('tells the handshake which open chat it holds and up to which seq, so only newer messages come again (#4)', async () => {
    const { ctrl, transport, server } = setup();
    expect(ctrl.resumeHint()).toEqual({});
    server.add('operator', 'hello');
    server.add('visitor', 'hi');
    await transport.up();
    expect(ctrl.resumeHint()).toEqual({ chat: { id: CONV, lastSeq: 2 } });
    transport.push('chat:updated', { ...server.conversation, status: 'closed' });
    expect(ctrl.resumeHint()).toEqual({});
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

describe('widget messages refused for good (#4)', () => {
  const sendsOf = (transport: ReturnType<typeof setup>['transport'], body: string) => transport.sends().filter((p) => p.body === body);

  it('shows a refused message as such, never resends it on reconnect or reload, and sends the ones after it', async () => {
    const storage = memoryStorage();
    const server = new FakeServer();
    server.refuse.add('poison');
    const a = setup(storage, server);
    await a.transport.up();
    a.ctrl.send('before');
    a.ctrl.send('poison');
    a.ctrl.send('after');
    await settle();
    expect(server.messages.map((m) => m.body)).toEqual(['before', 'after']);
    expect(a.ctrl.state.outbox).toMatchObject([{ body: 'poison', rejected: true }]);
    expect(sendsOf(a.transport, 'poison')).toHaveLength(1);

    a.transport.down();
    await a.transport.up();
    await settle();
    expect(sendsOf(a.transport, 'poison')).toHaveLength(1);

    const b = setup(storage, server); // the page reloads
    expect(b.ctrl.state.outbox).toMatchObject([{ body: 'poison', rejected: true }]);
    await b.transport.up();
    await settle();
    b.ctrl.send('later');
    await settle();
    expect(sendsOf(b.transport, 'poison')).toEqual([]);
    expect(server.messages.map((m) => m.body)).toEqual(['before', 'after', 'later']);
    expect(displayMessages(b.ctrl.state.messages, b.ctrl.state.outbox, CONV, '').map((m) => [m.body, m.status])).toEqual([
      ['before', 'sent'],
      ['after', 'sent'],
      ['later', 'sent'],
      ['poison', 'rejected'],
    ]);
  });

  it('keeps a message that failed for now and resends it on the next connection, holding the ones after it', async () => {
    const { ctrl, transport, server } = setup();
    server.failing.add('flaky');
    await transport.up();
    ctrl.send('flaky');
    ctrl.send('next');
    await settle();
    expect(ctrl.state.outbox).toMatchObject([{ body: 'flaky', failed: true }, { body: 'next' }]);
    expect(sendsOf(transport, 'next')).toEqual([]);
    server.failing.clear();
    transport.down();
    await transport.up();
    await settle();
    expect(server.messages.map((m) => m.body)).toEqual(['flaky', 'next']);
    expect(ctrl.state.outbox).toEqual([]);
  });

  it('removes a refused message, or hands its text back for editing', async () => {
    const { ctrl, transport, server, storage } = setup();
    server.refuse.add('one').add('two');
    await transport.up();
    ctrl.send('one');
    ctrl.send('two');
    await settle();
    ctrl.discard(ctrl.state.outbox[0]!.clientId);
    expect(ctrl.edit(ctrl.state.outbox[0]!.clientId)).toBe('two');
    expect(ctrl.state.outbox).toEqual([]);
    expect(storage.getItem('sidedesk:acc1:outbox')).toBeNull();
  });

  it('reports a chat:start refused for good, and a changed question starts under a new clientId', async () => {
    const { ctrl, transport, server } = setup();
    server.hasChat = false;
    server.refuse.add('a question the server refuses');
    await transport.up();
    await ctrl.startChat({ name: 'Vic', email: 'vic@example.com', question: 'a question the server refuses' });
    expect(ctrl.state).toMatchObject({ conversation: null, startError: 'rejected', starting: false });
    await ctrl.startChat({ name: 'Vic', email: 'vic@example.com', question: 'a better question' });
    expect(ctrl.state.conversation).not.toBeNull();
    expect(ctrl.state.startError).toBe('');
    const starts = transport.requests.filter((r) => r.event === 'chat:start').map((r) => r.payload.clientId);
    expect(new Set(starts).size).toBe(2);
  });
});
