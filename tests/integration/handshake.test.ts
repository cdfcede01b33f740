import { randomBytes } from 'node:crypto';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VISITOR_NAMESPACE, type VisitorAuth, type VisitorSession } from '../../shared/events';
import { DEFAULT_LIMITS } from '../../server/src/config';
import type { Database, Db } from '../../server/src/db/client';
import { insertOperator, insertSession } from '../../server/src/features/auth/repo';
import { hashToken } from '../../server/src/access/sessions';
import { shedOverload } from '../../server/src/realtime/overload';
import { Harness, newClientId, type TestServer } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

/** A widget handshake with the given auth; resolves with its session or rejects with the connect_error. */
function handshake(server: TestServer, auth: VisitorAuth) {
  const socket = io(`${server.url}${VISITOR_NAMESPACE}`, { auth: { ...auth }, transports: ['websocket'], forceNew: true, reconnection: false });
  const done = new Promise<VisitorSession>((resolve, reject) => {
    socket.once('session:started', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, done };
}

/** Counts every query the app makes: through its Drizzle handle (builders and raw statements) and its one-call SQL functions. */
function countQueries(db: Db, database: Pick<Database, 'callJson'>): { readonly count: number } {
  const counter = { count: 0 };
  const count = <T extends object>(target: T, method: keyof T & string) => {
    const original = (target[method] as (...args: unknown[]) => unknown).bind(target);
    vi.spyOn(target, method as never).mockImplementation(((...args: unknown[]) => {
      counter.count++;
      return original(...args);
    }) as never);
  };
  for (const method of ['select', 'insert', 'update', 'delete', 'execute', 'transaction'] as const) count(db, method);
  count(database, 'callJson');
  return counter;
}

describe('widget handshake (#4: the reconnect storm)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('puts the handshakes that arrive together in one database statement, and reads the account once', async () => {
    // No job runner here: its poll (once a second) would land in the count on a busy machine.
    // Every client is 127.0.0.1: the per-address limits would refuse most of them.
    const server = await h.server({ jobs: { concurrency: 0 }, limits: { ...DEFAULT_LIMITS, visitorConnectionsPerAddress: 0, newVisitorsPerAddress: 0 } });
    const { account } = await h.account(server);
    const visitors = await Promise.all(Array.from({ length: 40 }, () => h.connectVisitor(server, account.id)));
    for (const v of visitors) v.socket.disconnect();
    // Let the disconnects' presence work finish: until 300 ms pass without a statement.
    for (let idle = false; !idle; vi.restoreAllMocks()) {
      const quiet = countQueries(server.app.ctx.db, server.app.ctx.database);
      await new Promise((r) => setTimeout(r, 300));
      idle = quiet.count === 0;
    }

    const { ctx } = server.app;
    const queries = countQueries(ctx.db, ctx.database);
    // The statements are held until all 40 handshakes are in one (two on PostgreSQL, which runs
    // two at once) or waiting behind them: a storm's shape.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inHeld = 0;
    const call = vi.mocked(ctx.database.callJson).getMockImplementation()!;
    const calls = vi.mocked(ctx.database.callJson).mockImplementation(async (fn, json) => {
      inHeld += (JSON.parse(json) as unknown[]).length;
      await held;
      return call(fn, json);
    });
    ctx.accounts.forget(account.id);
    const again = Promise.all(visitors.map((v) => h.connectVisitor(server, account.id, v.session.visitorToken)));
    await vi.waitFor(() => expect(inHeld + ctx.visitorConnector.queued).toBe(40), { timeout: 30_000, interval: 20 });
    const inFlight = calls.mock.calls.length;
    release();
    expect((await again).map((v) => v.session.visitorId)).toEqual(visitors.map((v) => v.session.visitorId));
    // 40 handshakes: the held statements, then one for all that waited behind them (2 or 3 in
    // all). One statement per handshake (40 here) was the storm's cost.
    expect(inFlight).toBeLessThanOrEqual(2);
    expect(calls.mock.calls.map(([fn]) => fn)).toEqual(Array(inFlight + 1).fill('connect_visitors'));
    // Besides: one read of the account they share, and on a slow machine the operators'
    // availability choices, which a handshake re-reads once they are 10 s old (2 reads an account).
    expect(queries.count - calls.mock.calls.length).toBeLessThanOrEqual(3);
  }, 60_000);

  it('keeps each handshake of a batch its own: two tabs are one visitor, a claim of another account makes a new one, a refused item fails alone', async () => {
    const server = await h.server({ jobs: { concurrency: 0 } });
    const a = await h.account(server);
    const b = await h.account(server);
    const { ctx } = server.app;
    const origin = { ip: '192.0.2.1', country: null, region: null, city: null, userAgent: 'test', browser: null, platform: null };
    const request = (accountId: string, claimedVisitorId: string | null, known: { conversationId: string; seq: number } | null = null) => ({
      accountId,
      claimedVisitorId,
      origin,
      known,
      pageSize: 50,
    });
    const [vera, otto] = await Promise.all([
      ctx.visitorConnector.connect(request(a.account.id, null)),
      ctx.visitorConnector.connect(request(b.account.id, null)),
    ]);
    const before = ctx.visitorConnector.stats.statements;
    // Called in one event-loop turn: one batch.
    const results = await Promise.allSettled([
      ctx.visitorConnector.connect(request(a.account.id, vera!.visitor.id)), // tab 1
      ctx.visitorConnector.connect(request(a.account.id, vera!.visitor.id)), // tab 2
      ctx.visitorConnector.connect(request(a.account.id, otto!.visitor.id)), // b's visitor claimed on a: never them
      ctx.visitorConnector.connect(request(b.account.id, otto!.visitor.id)),
      ctx.visitorConnector.connect(request(a.account.id, null, { conversationId: 'not-a-uuid', seq: 0 })), // refused by the database
      ctx.visitorConnector.connect(request(b.account.id, null)),
    ]);
    const ok = results.map((r) => (r.status === 'fulfilled' ? r.value.visitor : null));
    expect(ok[0]?.id).toBe(vera!.visitor.id);
    expect(ok[1]?.id).toBe(vera!.visitor.id);
    expect(ok[2]?.id).not.toBe(otto!.visitor.id);
    expect(ok[2]?.accountId).toBe(a.account.id);
    expect(ok[3]?.id).toBe(otto!.visitor.id);
    expect(results[4]!.status).toBe('rejected');
    expect(ok[5]?.accountId).toBe(b.account.id);
    expect(new Set(ok.filter(Boolean).map((v) => v!.id)).size).toBe(4);
    // The batch failed once, was split, and its innocent handshakes were stored all the same.
    expect(ctx.visitorConnector.stats.failedBatches).toBeGreaterThan(0);
    expect(ctx.visitorConnector.stats.statements - before).toBeGreaterThan(1);
  }, 60_000);

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
    const other = handshake(server, {
      accountId: account.id,
      visitorToken: session.visitorToken,
      chat: { id: '00000000-0000-4000-8000-000000000001', lastSeq: 3 },
    });
    expect((await other.done).chat?.messages.map((m) => m.body)).toEqual(['one', 'two', 'three', 'four']);
    other.socket.disconnect();
  });

  it('runs a few handshakes at once (256 by default), queues the next ones (2,000) and refuses the rest with overloaded and a retry-after; a refused client gets in later', async () => {
    // Every client here is 127.0.0.1: the per-address limits would refuse most of them first.
    // The sizes are made small here (8 at once, 50 waiting): thousands of sockets in one test process time out on a busy machine.
    const server = await h.server({
      limits: { ...DEFAULT_LIMITS, visitorConnectionsPerAddress: 0, newVisitorsPerAddress: 0, handshakes: { atOnce: 8, queued: 50 } },
    });
    const { account } = await h.account(server);
    // Hold every handshake on its account lookup: 8 run, 50 wait, the rest are refused at once.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const accounts = server.app.ctx.accounts;
    const get = accounts.get.bind(accounts);
    const lookups = vi.spyOn(accounts, 'get').mockImplementation(async (id) => {
      await held;
      return get(id);
    });
    const attempts = Array.from({ length: 66 }, () => handshake(server, { accountId: account.id }));
    const outcomes = attempts.map((a) =>
      a.done.then(
        () => 'ok',
        (err: Error & { data?: { retryAfterMs?: number } }) => `${err.message} ${err.data?.retryAfterMs}`,
      ),
    );
    let refusedSoFar = 0;
    for (const o of outcomes) void o.then((r) => r !== 'ok' && refusedSoFar++);
    // Every attempt has arrived: the last 8 found 8 running and 50 waiting.
    await vi.waitFor(() => expect(refusedSoFar).toBe(8), { timeout: 30_000, interval: 50 });
    const refused = await Promise.all(outcomes.slice(0, 8).map((o) => Promise.race([o, new Promise((r) => setTimeout(() => r('waiting'), 1_000))])));
    expect(lookups.mock.calls.length).toBe(8); // only the running ones reached the database side
    expect(refused).toEqual(Array(8).fill('waiting')); // the first ones are in, held
    release();
    const results = await Promise.all(outcomes);
    expect(results.filter((r) => r === 'ok')).toHaveLength(58);
    expect(new Set(results.filter((r) => r !== 'ok'))).toEqual(new Set(['overloaded 2000']));

    // Once the load is gone, a refused client gets in.
    const retried = attempts.find((_, i) => results[i] !== 'ok')!.socket;
    const session = new Promise<VisitorSession>((resolve) => retried.once('session:started', resolve));
    retried.connect();
    expect((await session).visitorId).toMatch(/^[0-9a-f-]{36}$/);
    for (const a of attempts) a.socket.disconnect();
  }, 60_000);
});

describe('availability:updated (#4)', () => {
  it('tells widgets of operators connecting together once: someone is online', async () => {
    const server = await h.server();
    const { account } = await h.account(server);
    const { socket: widget } = await h.connectVisitor(server, account.id);
    const seen: boolean[] = [];
    widget.on('availability:updated', (a) => seen.push(a.operatorsAvailable));
    const tokens = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const operator = await insertOperator(server.app.ctx.db, account.id, {
          email: `burst-${i}@example.com`,
          name: `Op ${i}`,
          role: 'operator',
          passwordHash: 'x',
        });
        const token = randomBytes(32).toString('base64url');
        await insertSession(server.app.ctx.db, account.id, operator!.id, hashToken(token), new Date(Date.now() + 3600_000));
        return token;
      }),
    );
    await Promise.all(tokens.map((t) => h.connectOperator(server, t)));
    await new Promise((r) => setTimeout(r, 1_500));
    // One at the first connect; the rest of the burst changes nothing a widget sees (8 before #4, 2 with counts).
    expect(seen).toEqual([true]);
  });
});

describe('shedOverload', () => {
  const options = { maxPending: 2, maxQueued: 1, retryAfterMs: 500, isGone: (s: unknown) => s === 'gone' };

  it('runs up to maxPending, queues up to maxQueued in order, refuses the rest, and frees a slot however a handshake ends', () => {
    const finish = new Map<string, (err?: Error) => void>();
    const gate = shedOverload<string>(options, (s, next) => finish.set(s, next));
    const results: string[] = [];
    const next = (s: string) => (err?: Error) => results.push(`${s}:${err?.message ?? 'admitted'}`);
    for (const s of ['a', 'b', 'c', 'd']) gate(s, next(s));
    expect([gate.pending, gate.queued]).toEqual([2, 1]);
    expect(results).toEqual(['d:overloaded']);
    finish.get('a')!(new Error('not_found'));
    expect([gate.pending, gate.queued]).toEqual([2, 0]); // c took a's slot
    finish.get('b')!();
    finish.get('c')!();
    expect(gate.pending).toBe(0);
    expect(results).toEqual(['d:overloaded', 'a:not_found', 'b:admitted', 'c:admitted']);
  });

  it('skips a queued socket whose client went away while it waited', () => {
    const started: string[] = [];
    const finish: ((err?: Error) => void)[] = [];
    const gate = shedOverload<string>({ ...options, maxQueued: 2 }, (s, next) => (started.push(s), finish.push(next)));
    const results: string[] = [];
    for (const s of ['a', 'b', 'gone', 'c']) gate(s, (err) => results.push(`${s}:${err?.message ?? 'admitted'}`));
    finish[0]!();
    expect(started).toEqual(['a', 'b', 'c']);
    expect(results).toEqual(['a:admitted', 'gone:overloaded']);
  });
});
