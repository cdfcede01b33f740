/**
 * Availability and routing (P11, A1) and transfer (P5), #6: status and auto-away, departments,
 * limits, manual and auto-assign routing with the queue draining, exactly one winner of
 * concurrent accepts (also on two nodes), escalation by durable jobs on a clock the test moves
 * on, and transfers whose note never reaches the visitor.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../server/src/db/raw';
import { createApp } from '../../server/src/app';
import { OffsetClock } from '../../server/src/clock';
import { runAutoAway } from '../../server/src/features/routing/service';
import type { Ack } from '../../shared/errors';
import type { ConversationView } from '../../shared/schemas/chats';
import type { DepartmentAvailability, DepartmentView, OperatorAvailabilityView, RoutingSettingsView } from '../../shared/schemas/routing';
import { ok } from '../support/ack';
import { until } from '../support/cluster';
import { freshTestDatabase } from '../support/db';
import { api, collect, Harness, loginOk, newClientId, testConfig, waitFor, type OperatorClient, type TestServer, type VisitorClient } from '../support/server';

const h = new Harness();
// The file's first database makes the migrated dump (slow on a busy machine): before the tests' clocks start.
beforeAll(() => freshTestDatabase().then((d) => (d.kind === 'pglite' ? d.pglite.close() : d.drop())));
afterEach(() => h.closeAll());

interface Team {
  server: TestServer;
  clock: OffsetClock;
  accountId: string;
  admin: { id: string; token: string; socket: OperatorClient };
  rest<T>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  member(name: string): Promise<{ id: string; token: string; socket: OperatorClient }>;
  department(name: string, operatorIds: string[]): Promise<DepartmentView>;
  settings(patch: Partial<RoutingSettingsView>): Promise<RoutingSettingsView>;
  visitor(): Promise<{ socket: VisitorClient; departments: DepartmentAvailability[] }>;
  start(visitor: VisitorClient, departmentId?: string, question?: string): Promise<string>;
}

async function team(): Promise<Team> {
  const clock = new OffsetClock();
  const server = await h.server({}, { clock });
  const a = await h.operator(server, { name: 'Ada Admin' });
  const rest = <T>(method: string, path: string, body?: unknown, token = a.token) => api<T>(server.url, method, path, body, token);
  return {
    server,
    clock,
    accountId: a.account.id,
    admin: { id: a.admin.id, token: a.token, socket: a.socket },
    rest,
    async member(name) {
      const m = await h.colleague(server, a.account.id, name);
      return { id: m.operator.id, token: m.token, socket: m.socket };
    },
    async department(name, operatorIds) {
      const created = await rest<DepartmentView>('POST', '/api/departments', { name });
      expect(created.status).toBe(201);
      const patched = await rest<DepartmentView>('PATCH', `/api/departments/${created.body.id}`, { operatorIds });
      expect(patched.status).toBe(200);
      return patched.body;
    },
    async settings(patch) {
      const res = await rest<RoutingSettingsView>('PATCH', '/api/routing/settings', patch);
      expect(res.status).toBe(200);
      return res.body;
    },
    async visitor() {
      const v = await h.connectVisitor(server, a.account.id);
      return { socket: v.socket, departments: v.session.departments };
    },
    async start(visitor, departmentId, question = 'Hello?') {
      const started = ok(
        await visitor.emitWithAck('chat:start', {
          clientId: newClientId(),
          name: 'Vera',
          email: 'vera@example.com',
          question,
          ...(departmentId ? { departmentId } : {}),
        }),
      );
      return started.conversation.id;
    },
  };
}

async function chatOf(socket: OperatorClient, id: string): Promise<ConversationView> {
  return ok(await socket.emitWithAck('chat:get', { conversationId: id })).conversation;
}

describe('status and "View operators" (P11)', () => {
  it('shows everyone with status and load live; away and offline count for nobody in the widget; disconnecting makes one offline', async () => {
    const t = await team();
    const bob = await t.member('Bob');
    const sales = await t.department('Sales', [bob.id]);
    const { socket: widget, departments } = await t.visitor();
    expect(departments).toEqual([{ id: sales.id, name: 'Sales', available: true }]);

    const list = ok(await t.admin.socket.emitWithAck('operator:list', {}));
    expect(list.map((o) => [o.name, o.status, o.load, o.maxChats, o.departmentIds])).toEqual([
      ['Ada Admin', 'online', 0, 5, []],
      ['Bob', 'online', 0, 5, [sales.id]],
    ]);

    const seen = waitFor(t.admin.socket, 'operator:updated', (o) => o.id === bob.id && o.status === 'away');
    const widgetSees = waitFor(widget, 'availability:updated', (a) => a.operatorsAvailable && a.departments[0]?.available === false);
    expect(ok(await bob.socket.emitWithAck('status:set', { status: 'away' }))).toMatchObject({ status: 'away', autoAway: false });
    await seen;
    await widgetSees;

    // Kept across sign-ins: a new panel of Bob's is away too.
    const again = await h.connectOperator(t.server, bob.token);
    const afterReconnect = ok(await again.emitWithAck('operator:list', {})).find((o) => o.id === bob.id);
    expect(afterReconnect?.status).toBe('away');

    const offline = waitFor(t.admin.socket, 'operator:updated', (o) => o.id === bob.id && o.status === 'offline');
    bob.socket.disconnect();
    again.disconnect();
    await offline;
  });

  it('goes away automatically after the minutes without activity, and comes back online with activity', async () => {
    const t = await team();
    const bob = await t.member('Bob');
    await t.settings({ autoAwayMinutes: 5 });
    expect((await t.rest<OperatorAvailabilityView>('PATCH', '/api/routing/me', { autoAwayMinutes: 2 }, bob.token)).body).toMatchObject({ autoAwayMinutes: 2 });

    t.clock.advance(3 * 60_000);
    const away = waitFor(t.admin.socket, 'operator:updated', (o) => o.id === bob.id && o.status === 'away');
    // Bob's own 2 minutes have passed, the admin's default 5 have not.
    expect(await runAutoAway(t.server.app.ctx)).toBe(1);
    expect(await away).toMatchObject({ autoAway: true });

    const back = waitFor(t.admin.socket, 'operator:updated', (o) => o.id === bob.id && o.status === 'online');
    ok(await bob.socket.emitWithAck('activity:report', {}));
    expect(await back).toMatchObject({ autoAway: false });

    // A status chosen by hand is not undone by activity.
    ok(await bob.socket.emitWithAck('status:set', { status: 'away' }));
    ok(await bob.socket.emitWithAck('activity:report', {}));
    expect(ok(await bob.socket.emitWithAck('operator:list', {})).find((o) => o.id === bob.id)?.status).toBe('away');

    t.clock.advance(3 * 60_000);
    expect(await runAutoAway(t.server.app.ctx)).toBe(1); // the admin, now past 5 minutes
  });
});

describe('departments (A1)', () => {
  it('are managed by admins only, with unique names and the account’s own operators; the pre-chat choice must be the account’s', async () => {
    const t = await team();
    const bob = await t.member('Bob');
    const sales = await t.department('Sales', [bob.id]);
    expect((await t.rest('POST', '/api/departments', { name: 'sales' })).status).toBe(409);
    expect((await t.rest('POST', '/api/departments', { name: 'Support' }, bob.token)).status).toBe(403);
    const renamed = await t.rest<DepartmentView>('PATCH', `/api/departments/${sales.id}`, { name: 'Sales EU' });
    expect(renamed.body).toEqual({ id: sales.id, name: 'Sales EU', operatorIds: [bob.id] });

    const other = await h.operator(t.server, { account: 'Other' });
    const theirs = await api<DepartmentView>(t.server.url, 'POST', '/api/departments', { name: 'Theirs' }, other.token);
    expect((await t.rest('PATCH', `/api/departments/${sales.id}`, { operatorIds: [other.admin.id] })).status).toBe(404);
    expect((await t.rest('PATCH', `/api/routing/operators/${bob.id}`, { departmentIds: [theirs.body.id] })).status).toBe(404);
    expect((await t.rest('PATCH', `/api/routing/operators/${bob.id}`, { maxChats: 0 })).status).toBe(400);

    const { socket: visitor } = await t.visitor();
    const refused = await visitor.emitWithAck('chat:start', {
      clientId: newClientId(),
      name: 'Vera',
      email: 'v@example.com',
      question: 'Hi',
      departmentId: theirs.body.id,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const id = await t.start(visitor, sales.id);
    expect((await chatOf(t.admin.socket, id)).departmentId).toBe(sales.id);

    // Deleting the department gives its chats back to the whole account.
    expect((await t.rest('DELETE', `/api/departments/${sales.id}`)).status).toBe(204);
    expect((await chatOf(t.admin.socket, id)).departmentId).toBeNull();
    expect((await t.rest<DepartmentView[]>('GET', '/api/departments', undefined, bob.token)).body).toEqual([]);
  });
});

describe('manual routing (A1)', () => {
  it('lets only the department accept, one accept wins, and the limit holds', async () => {
    const t = await team();
    const bob = await t.member('Bob');
    const cleo = await t.member('Cleo');
    const dan = await t.member('Dan');
    const sales = await t.department('Sales', [bob.id, cleo.id]);
    const { socket: v1 } = await t.visitor();
    const first = await t.start(v1, sales.id);

    expect(await dan.socket.emitWithAck('chat:accept', { conversationId: first })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'This chat waits for the Sales department.' },
    });
    const [a, b] = await Promise.all([
      bob.socket.emitWithAck('chat:accept', { conversationId: first }),
      cleo.socket.emitWithAck('chat:accept', { conversationId: first }),
    ]);
    const results = [a, b];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok) as Extract<Ack<unknown>, { ok: false }>;
    const winner = a.ok ? 'Bob' : 'Cleo';
    expect(loser.error).toEqual({ code: 'chat_taken', message: `${winner} has already accepted this chat.` });

    // A limit of 1: the winner can't take a second chat by hand.
    const winnerSocket = a.ok ? bob : cleo;
    expect((await t.rest('PATCH', `/api/routing/operators/${winnerSocket.id}`, { maxChats: 1 })).status).toBe(200);
    const { socket: v2 } = await t.visitor();
    const second = await t.start(v2, sales.id);
    expect(await winnerSocket.socket.emitWithAck('chat:accept', { conversationId: second })).toMatchObject({
      ok: false,
      error: { code: 'limit_reached' },
    });
    expect((await chatOf(t.admin.socket, second)).status).toBe('waiting');
  });

  it('lets exactly one of many simultaneous accepts win, whoever they are', async () => {
    const t = await team();
    const members = await Promise.all(['B', 'C', 'D', 'E', 'F'].map((n) => t.member(`Op ${n}`)));
    const { socket: visitor } = await t.visitor();
    const id = await t.start(visitor);
    const results = await Promise.all(members.map((m) => m.socket.emitWithAck('chat:accept', { conversationId: id })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(['chat_taken', 'chat_taken', 'chat_taken', 'chat_taken']);
    const systemLines = ok(await t.admin.socket.emitWithAck('chat:sync', { conversationId: id, afterSeq: 0 })).filter((m) => m.author === 'system');
    expect(systemLines).toHaveLength(1);
  });
});

describe('auto-assign (A1)', () => {
  it('spreads chats over the department by load, queues them when all are full and drains the queue as soon as someone frees up', async () => {
    const t = await team();
    ok(await t.admin.socket.emitWithAck('status:set', { status: 'offline' }));
    const bob = await t.member('Bob');
    const cleo = await t.member('Cleo');
    const sales = await t.department('Sales', [bob.id, cleo.id]);
    for (const m of [bob, cleo]) expect((await t.rest('PATCH', `/api/routing/operators/${m.id}`, { maxChats: 1 })).status).toBe(200);
    await t.settings({ mode: 'auto' });

    const bobGets = waitFor(bob.socket, 'chat:assigned');
    const cleoGets = waitFor(cleo.socket, 'chat:assigned');
    const { socket: v1 } = await t.visitor();
    const joined = waitFor(v1, 'chat:updated', (c) => c.status === 'active');
    const c1 = await t.start(v1, sales.id);
    const { socket: v2 } = await t.visitor();
    const c2 = await t.start(v2, sales.id);
    const given = [await bobGets, await cleoGets];
    expect(given.map((g) => g.conversation.id).sort()).toEqual([c1, c2].sort());
    expect(given.every((g) => g.by === 'auto')).toBe(true);
    expect((await joined).operatorName).toMatch(/^(Bob|Cleo)$/);

    // Both full: the third waits in the queue.
    const { socket: v3 } = await t.visitor();
    const c3 = await t.start(v3, sales.id);
    await new Promise((r) => setTimeout(r, 300));
    expect((await chatOf(t.admin.socket, c3)).status).toBe('waiting');

    // Bob closes his: the queue drains to him.
    const bobsFirst = given.find((g) => g.conversation.operatorId === bob.id)!.conversation.id;
    const bobGetsThird = waitFor(bob.socket, 'chat:assigned', (g) => g.conversation.id === c3);
    ok(await bob.socket.emitWithAck('chat:close', { conversationId: bobsFirst }));
    await bobGetsThird;

    // Away: not given chats; back online: the queue drains to them.
    ok(await cleo.socket.emitWithAck('status:set', { status: 'away' }));
    const cleosFirst = given.find((g) => g.conversation.operatorId === cleo.id)!.conversation.id;
    ok(await cleo.socket.emitWithAck('chat:close', { conversationId: cleosFirst }));
    const { socket: v4 } = await t.visitor();
    const c4 = await t.start(v4, sales.id);
    await new Promise((r) => setTimeout(r, 300));
    expect((await chatOf(t.admin.socket, c4)).status).toBe('waiting');
    const cleoGetsFourth = waitFor(cleo.socket, 'chat:assigned', (g) => g.conversation.id === c4);
    ok(await cleo.socket.emitWithAck('status:set', { status: 'online' }));
    await cleoGetsFourth;

    // A limit raised drains too.
    const { socket: v5 } = await t.visitor();
    const c5 = await t.start(v5, sales.id);
    await new Promise((r) => setTimeout(r, 300));
    expect((await chatOf(t.admin.socket, c5)).status).toBe('waiting');
    const someoneGetsFifth = Promise.race([bob, cleo].map((m) => waitFor(m.socket, 'chat:assigned', (g) => g.conversation.id === c5)));
    expect((await t.rest('PATCH', `/api/routing/operators/${bob.id}`, { maxChats: 2 })).status).toBe(200);
    expect((await someoneGetsFifth).conversation.operatorId).toBe(bob.id);

    const load = ok(await t.admin.socket.emitWithAck('operator:list', {}));
    expect(load.filter((o) => o.departmentIds.length).map((o) => [o.name, o.load, o.maxChats])).toEqual([
      ['Bob', 2, 2],
      ['Cleo', 1, 1],
    ]);
  });
});

describe('escalation (A1)', () => {
  it('alerts the department again after the set seconds, then every operator, who may then accept', async () => {
    const t = await team();
    const bob = await t.member('Bob');
    const dan = await t.member('Dan');
    const sales = await t.department('Sales', [bob.id]);
    await t.settings({ escalationSeconds: 30 });
    const bobAlerts = collect(bob.socket, 'chat:escalated');
    const danAlerts = collect(dan.socket, 'chat:escalated');
    const { socket: visitor } = await t.visitor();
    const id = await t.start(visitor, sales.id);

    // Not yet due.
    t.clock.advance(20_000);
    t.server.app.ctx.jobs.wake();
    await new Promise((r) => setTimeout(r, 1_200));
    expect(bobAlerts).toHaveLength(0);

    t.clock.advance(11_000);
    t.server.app.ctx.jobs.wake();
    await until(() => bobAlerts.length === 1, 5_000, 'the first escalation');
    expect(bobAlerts[0]).toMatchObject({ level: 1, conversation: { id, escalationLevel: 1 } });
    expect(danAlerts).toHaveLength(0);
    expect(await dan.socket.emitWithAck('chat:accept', { conversationId: id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    t.clock.advance(31_000);
    t.server.app.ctx.jobs.wake();
    await until(() => danAlerts.length === 1, 5_000, 'the second escalation');
    expect(danAlerts[0]).toMatchObject({ level: 2, conversation: { id, escalationLevel: 2 } });
    expect(bobAlerts.map((a) => a.level)).toEqual([1, 2]);
    ok(await dan.socket.emitWithAck('chat:accept', { conversationId: id }));

    // Accepted: nothing more is due, ever.
    t.clock.advance(120_000);
    t.server.app.ctx.jobs.wake();
    await new Promise((r) => setTimeout(r, 1_200));
    expect(danAlerts).toHaveLength(1);
  });

  it('is a durable job in the database (it outlives a restart), due when the chat has waited the set seconds by the app’s clock', async () => {
    const t = await team();
    await t.settings({ escalationSeconds: 10 });
    const { socket: visitor } = await t.visitor();
    const before = t.clock.now();
    const id = await t.start(visitor);
    const rows = await queryRows<{ c: string; level: number; due: string }>(
      t.server.app.ctx.db,
      sql`SELECT payload->>'conversationId' AS c, (payload->>'level')::int AS level, run_at::text AS due FROM jobs WHERE kind = 'chats.escalate'`,
    );
    expect(rows.map((r) => [r.c, r.level])).toEqual([[id, 1]]);
    const due = new Date(rows[0]!.due).getTime();
    expect(due - before).toBeGreaterThanOrEqual(10_000);
    expect(due - before).toBeLessThan(15_000);
  });
});

describe('transfer (P5)', () => {
  it('hands a chat to a colleague with a note only operators see; the visitor sees the new name and never the note', async () => {
    const t = await team();
    const bob = await t.member('Bob');
    const { socket: visitor, session: first } = await h.connectVisitor(t.server, t.accountId);
    const frames: unknown[] = [];
    visitor.onAny((event: string, payload: unknown) => frames.push([event, payload]));
    const id = await t.start(visitor, undefined, 'My order is late');
    ok(await t.admin.socket.emitWithAck('chat:accept', { conversationId: id }));

    const bobGets = waitFor(bob.socket, 'chat:assigned');
    const visitorSees = waitFor(visitor, 'chat:updated', (c) => c.operatorName === 'Bob');
    const line = waitFor(visitor, 'message:sent', (m) => m.body === 'Ada Admin transferred the chat to Bob');
    const NOTE = 'VIP customer, refund approved — secret';
    const moved = ok(await t.admin.socket.emitWithAck('chat:transfer', { conversationId: id, operatorId: bob.id, note: NOTE }));
    expect(moved).toMatchObject({ status: 'active', operatorId: bob.id, operatorName: 'Bob' });
    expect(await bobGets).toMatchObject({ by: 'transfer', fromName: 'Ada Admin', conversation: { id } });
    expect((await visitorSees).operatorPresent).toBe(true);
    await line;

    // Bob gets the whole history and the note.
    const history = ok(await bob.socket.emitWithAck('chat:get', { conversationId: id })).messages;
    expect(history.map((m) => [m.author, m.body, m.visibility ?? 'public'])).toEqual([
      ['visitor', 'My order is late', 'public'],
      ['system', 'Ada Admin joined the chat', 'public'],
      ['operator', NOTE, 'internal'],
      ['system', 'Ada Admin transferred the chat to Bob', 'public'],
    ]);

    // The note on no visitor path: live frames, a sync from 0, a new session's messages.
    const synced = ok(await visitor.emitWithAck('chat:sync', { conversationId: id, afterSeq: 0 }));
    const again = await h.connectVisitor(t.server, t.accountId, first.visitorToken);
    // The visitor's own sequence has no gap where the note is (#6: visitor_seq).
    expect(again.session.chat?.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    const everything = JSON.stringify([frames, synced, again.session]);
    expect(everything).not.toContain('secret');
    expect(frames.length).toBeGreaterThan(3);
    expect(synced.map((m) => m.seq)).toEqual([1, 2, 3]);

    // Only the chat's operator (or a supervisor) transfers an active chat.
    const dan = await t.member('Dan');
    expect(await dan.socket.emitWithAck('chat:transfer', { conversationId: id, operatorId: dan.id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    // Nobody away or full.
    ok(await dan.socket.emitWithAck('status:set', { status: 'away' }));
    expect(await bob.socket.emitWithAck('chat:transfer', { conversationId: id, operatorId: dan.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'Dan is not online: choose someone who is.' },
    });
  });

  it('puts a chat back in a department’s queue, where auto-assign picks it up', async () => {
    const t = await team();
    const bob = await t.member('Bob');
    const cleo = await t.member('Cleo');
    const billing = await t.department('Billing', [cleo.id]);
    const { socket: visitor } = await t.visitor();
    const id = await t.start(visitor);
    ok(await bob.socket.emitWithAck('chat:accept', { conversationId: id }));
    await t.settings({ mode: 'auto' });

    const cleoGets = waitFor(cleo.socket, 'chat:assigned', (g) => g.conversation.id === id);
    const waiting = waitFor(visitor, 'chat:updated', (c) => c.status === 'waiting');
    const moved = ok(await bob.socket.emitWithAck('chat:transfer', { conversationId: id, departmentId: billing.id, note: 'needs an invoice fix' }));
    expect(moved).toMatchObject({ departmentId: billing.id });
    expect((await waiting).departmentId).toBe(billing.id);
    const given = await cleoGets;
    expect(given).toMatchObject({ by: 'auto', conversation: { operatorId: cleo.id, departmentId: billing.id } });
    const lines = ok(await visitor.emitWithAck('chat:sync', { conversationId: id, afterSeq: 0 })).map((m) => m.body);
    expect(lines).toContain('Bob transferred the chat to Billing');
    expect(lines).toContain('Cleo joined the chat');
    expect(lines).not.toContain('needs an invoice fix');

    const loads = ok(await t.admin.socket.emitWithAck('operator:list', {})) as OperatorAvailabilityView[];
    expect(loads.find((o) => o.id === bob.id)?.load).toBe(0);
    expect(loads.find((o) => o.id === cleo.id)?.load).toBe(1);
  });
});

describe('a disabled operator (A5 × A1)', () => {
  it('leaves no chat waiting on them: their chats go back to their department’s queue, where auto-assign gives them to a colleague', async () => {
    const t = await team();
    const bob = await t.member('Bob');
    const cleo = await t.member('Cleo');
    const billing = await t.department('Billing', [bob.id, cleo.id]);
    const { socket: visitor } = await t.visitor();
    const id = await t.start(visitor, billing.id);
    ok(await bob.socket.emitWithAck('chat:accept', { conversationId: id }));
    // Cleo is away: the chat can't be given to anyone yet, so it must wait in the queue, not on Bob.
    ok(await cleo.socket.emitWithAck('status:set', { status: 'away' }));
    await t.settings({ mode: 'auto' });

    const waiting = waitFor(visitor, 'chat:updated', (c) => c.status === 'waiting');
    const disabled = await t.rest('PATCH', `/api/team/operators/${bob.id}`, { status: 'disabled' });
    expect(disabled.status).toBe(200);
    expect(await waiting).toMatchObject({ departmentId: billing.id, operatorName: null });
    const line = ok(await visitor.emitWithAck('chat:sync', { conversationId: id, afterSeq: 0 })).at(-1);
    expect(line).toMatchObject({ author: 'system', body: 'Bob is no longer available: the chat waits for a colleague' });
    expect(await chatOf(t.admin.socket, id)).toMatchObject({ status: 'waiting', operatorId: null, departmentId: billing.id });

    // Cleo comes back: auto-assign drains the queue to her.
    const cleoGets = waitFor(cleo.socket, 'chat:assigned', (g) => g.conversation.id === id);
    ok(await cleo.socket.emitWithAck('status:set', { status: 'online' }));
    expect(await cleoGets).toMatchObject({ by: 'auto', conversation: { operatorId: cleo.id } });
  });
});

// Two server processes' worth of apps on one PostgreSQL, rooms shared through Redis (Q4).
describe.runIf(process.env.DATABASE_URL)('concurrent accepts on two nodes', () => {
  it('lets exactly one of two operators on two nodes win the same chat', async () => {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const a = await h.server({ redisUrl });
    if (a.database.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const appB = await createApp(testConfig({ databaseUrl: a.database.url, redisUrl }));
    const b: TestServer = { app: appB, url: (await appB.listen(0)).url, database: a.database, close: () => appB.close() };
    try {
      const admin = await h.operator(a, { name: 'Ada' });
      const onA = await h.colleague(a, admin.account.id, 'Bob');
      const cleoOp = await h.colleague(a, admin.account.id, 'Cleo');
      cleoOp.socket.disconnect();
      const cleo = await h.connectOperator(b, (await loginOk(b.url, cleoOp.operator.email, 'correct horse battery')).token);
      const { socket: visitor } = await h.connectVisitor(a, admin.account.id);
      for (let round = 0; round < 5; round++) {
        const started = ok(
          await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'v@example.com', question: `Round ${round}` }),
        );
        const id = started.conversation.id;
        const results = await Promise.all([
          onA.socket.emitWithAck('chat:accept', { conversationId: id }),
          cleo.emitWithAck('chat:accept', { conversationId: id }),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'chat_taken' } });
        const winner = results[0]!.ok ? onA.socket : cleo;
        ok(await winner.emitWithAck('chat:close', { conversationId: id }));
      }
    } finally {
      await appB.close();
    }
  });
});
