import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatController } from '../../../widget/src/chat/controller';
import { CONV, FakeServer, memoryStorage, settle, setup } from './fakes';

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
