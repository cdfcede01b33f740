import { io } from 'socket.io-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VISITOR_NAMESPACE, type VisitorAuth, type VisitorSession } from '../../shared/events';
import type { Db } from '../../server/src/db/client';
import { shedOverload } from '../../server/src/realtime/overload';
import { Harness, newClientId, type TestServer } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

/** A widget handshake with the given auth; resolves with its session or rejects with the connect_error. */
function handshake(server: TestServer, auth: VisitorAuth) {
  const socket = io(`${server.url}${VISITOR_NAMESPACE}`, { auth: { ...auth }, transports: ['websocket'], forceNew: true, reconnection: false });
  const done = new Promise<VisitorSession>((resolve, reject) => {
    socket.once('session:ready', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, done };
}

/** Counts every query the app makes through its Drizzle handle (builders and raw statements). */
function countQueries(db: Db): { readonly count: number } {
  const counter = { count: 0 };
  for (const method of ['select', 'insert', 'update', 'delete', 'execute', 'transaction'] as const) {
    const original = db[method].bind(db) as (...args: unknown[]) => unknown;
    vi.spyOn(db, method).mockImplementation(((...args: unknown[]) => {
      counter.count++;
      return original(...args);
    }) as never);
  }
  return counter;
}

describe('widget handshake (#4: the reconnect storm)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('makes one database statement per handshake of a returning visitor, and reads the account once', async () => {
    const server = await h.server();
    const { account } = await h.account(server);
    const visitors = await Promise.all(Array.from({ length: 10 }, () => h.connectVisitor(server, account.id)));
    for (const v of visitors) v.socket.disconnect();
    await new Promise((r) => setTimeout(r, 300)); // let the disconnects' presence work finish

    const queries = countQueries(server.app.ctx.db);
    server.app.ctx.accounts.forget(account.id);
    const again = await Promise.all(visitors.map((v) => h.connectVisitor(server, account.id, v.session.visitorToken)));
    expect(again.map((v) => v.session.visitorId)).toEqual(visitors.map((v) => v.session.visitorId));
    // 10 handshakes: one statement each, plus one read of the account they share.
    expect(queries.count).toBe(11);
  });

  it('sends again only the messages after the seq the widget holds of its open chat', async () => {
    const server = await h.server();
    const { account } = await h.account(server);
    const { socket, session } = await h.connectVisitor(server, account.id);
    const started = await socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Ann', email: 'ann@example.com', question: 'one' });
    if (!started.ok) throw new Error('chat:start failed');
    const id = started.data.conversation.id;
    for (const body of ['two', 'three', 'four']) await socket.emitWithAck('message:send', { conversationId: id, clientId: newClientId(), body });
    socket.disconnect();

    const resumed = handshake(server, { accountId: account.id, visitorToken: session.visitorToken, chat: { id, lastSeq: 2 } });
    const s = await resumed.done;
    expect(s.chat?.conversation.id).toBe(id);
    expect(s.chat?.messages.map((m) => [m.seq, m.body])).toEqual([
      [3, 'three'],
      [4, 'four'],
    ]);
    resumed.socket.disconnect();

    // A chat the widget names that is not the open one (or none) gets the whole history.
    const other = handshake(server, { accountId: account.id, visitorToken: session.visitorToken, chat: { id: '00000000-0000-4000-8000-000000000001', lastSeq: 3 } });
    expect((await other.done).chat?.messages.map((m) => m.body)).toEqual(['one', 'two', 'three', 'four']);
    other.socket.disconnect();
  });

  it('refuses handshakes beyond 64 in progress with overloaded and a retry-after, and lets them in when they come back', async () => {
    const server = await h.server();
    const { account } = await h.account(server);
    // Hold every handshake on its account lookup, so 80 are in progress at once.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const accounts = server.app.ctx.accounts;
    const get = accounts.get.bind(accounts);
    vi.spyOn(accounts, 'get').mockImplementation(async (id) => {
      await held;
      return get(id);
    });
    const attempts = Array.from({ length: 80 }, () => handshake(server, { accountId: account.id }));
    const outcomes = attempts.map((a) => a.done.then(() => 'ok', (err: Error & { data?: { retryAfterMs?: number } }) => `${err.message} ${err.data?.retryAfterMs}`));
    await new Promise((r) => setTimeout(r, 500));
    release();
    const results = await Promise.all(outcomes);
    expect(results.filter((r) => r === 'ok')).toHaveLength(64);
    expect(results.filter((r) => r !== 'ok')).toEqual(Array(16).fill('overloaded 1000'));

    // Once the load is gone, a refused client gets in.
    const retried = attempts.find((_, i) => results[i] !== 'ok')!.socket;
    const session = new Promise<VisitorSession>((resolve) => retried.once('session:ready', resolve));
    retried.connect();
    expect((await session).visitorId).toMatch(/^[0-9a-f-]{36}$/);
    for (const a of attempts) a.socket.disconnect();
  });
});

describe('shedOverload', () => {
  it('frees a slot when a handshake ends, whether it was accepted or refused', () => {
    const finish: ((err?: Error) => void)[] = [];
    const gate = shedOverload<number>({ maxPending: 2, retryAfterMs: 500 }, (_s, next) => finish.push(next));
    const results: (string | undefined)[] = [];
    const next = (err?: Error) => results.push(err?.message ?? 'admitted');
    gate(1, next);
    gate(2, next);
    gate(3, next);
    expect(results).toEqual(['overloaded']);
    expect(gate.pending).toBe(2);
    finish[0]!(new Error('not_found'));
    finish[1]!();
    expect(gate.pending).toBe(0);
    gate(4, next);
    expect(gate.pending).toBe(1);
    expect(results).toEqual(['overloaded', 'not_found', 'admitted']);
  });
});
