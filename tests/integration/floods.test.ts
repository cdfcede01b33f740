import v8 from 'node:v8';
import vm from 'node:vm';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { DEFAULT_LIMITS } from '../../server/src/config';
import { VISITOR_CONNECTS } from '../../server/src/limits/connections';
import type { Ack } from '../../shared/errors';
import { VISITOR_NAMESPACE, type VisitorSession } from '../../shared/events';
import { until } from '../support/cluster';
import { VISITOR_UPDATE_INTERVAL_MS } from '../../server/src/features/visitors/activity';
import { COMMAND_LIMITS, type CommandLimitName } from '../../server/src/limits/commands';
import { operators } from '../../server/src/db/schema/index';
import { collect, collectRows, Harness, newClientId, waitFor, type OperatorClient, type TestServer, type VisitorClient } from '../support/server';

// #4 "Floods from one visitor". Everything on loopback, a couple of seconds per flood.

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const FLOOD_RATE = 1_000; // events per second, as in the probe
const FLOOD_MS = 2_000;
const P99_LIMIT_MS = 100;

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
}

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().heapUsed;
}

interface Bystander {
  visitor: VisitorClient;
  conversationId: string;
}

/** A bystander chat: a visitor and the operator who accepted it. */
async function bystanderChat(h: Harness, server: TestServer, accountId: string, operator: OperatorClient) {
  const { socket: visitor } = await h.connectVisitor(server, accountId);
  const started = await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Bea', email: 'bea@example.com', question: 'Hello?' });
  if (!started.ok) throw new Error('chat:start failed');
  const conversationId = started.data.conversation.id;
  const accepted = await operator.emitWithAck('chat:accept', { conversationId });
  if (!accepted.ok) throw new Error('chat:accept failed');
  return { visitor, conversationId };
}

/**
 * Round trips visitor → operator and operator → visitor until `until` resolves: the time from
 * sending a message to the other side receiving it. The bystanders take turns and pause between
 * messages, so each visitor writes at a human pace (well under its own message limit).
 */
async function roundTrips(chats: Bystander[], operator: OperatorClient, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.then(() => (done = true));
  const samples: number[] = [];
  const once = async (from: VisitorClient | OperatorClient, to: VisitorClient | OperatorClient, conversationId: string) => {
    const body = newClientId('b');
    const seen = waitFor(to as OperatorClient, 'message:sent', (m) => m.body === body, 10_000);
    const t0 = performance.now();
    const ack = await (from as OperatorClient).emitWithAck('message:send', { conversationId, clientId: newClientId(), body });
    if (!ack.ok) throw new Error(`bystander message refused: ${ack.error.code}`);
    await seen;
    samples.push(performance.now() - t0);
  };
  for (let turn = 0; !done; turn++) {
    const { visitor, conversationId } = chats[turn % chats.length]!;
    await once(visitor, operator, conversationId);
    await once(operator, visitor, conversationId);
    await new Promise((r) => setTimeout(r, 20));
  }
  return samples;
}

/** Emits `next()` at FLOOD_RATE for FLOOD_MS without waiting for acks; resolves with every ack once all are in. */
async function flood(socket: VisitorClient, next: () => [event: string, payload: unknown]): Promise<Ack<unknown>[]> {
  const acks: Promise<Ack<unknown>>[] = [];
  const perTick = FLOOD_RATE / 100;
  await new Promise<void>((resolve) => {
    const started = performance.now();
    const timer = setInterval(() => {
      for (let i = 0; i < perTick; i++) {
        const [event, payload] = next();
        acks.push((socket as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<unknown>> }).emitWithAck(event, payload));
      }
      if (performance.now() - started >= FLOOD_MS) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  return Promise.all(acks);
}

interface FloodCase {
  limit: CommandLimitName;
  /** Needs an open conversation of the flooder first. */
  needsChat: boolean;
  /** Floods from `socket` (`chat`: its own open conversation) and resolves with every ack. */
  run: (socket: VisitorClient, chat: string) => Promise<Ack<unknown>[]>;
}

const page = (i: number) => ({ url: `https://shop.example/p/${i}`, title: `Page ${i}`, referrer: '', language: 'en' });

/** The loop of the issue: start a chat, close it, start another, as fast as the acks come (each start raised a notification). */
async function startCloseLoop(socket: VisitorClient): Promise<Ack<unknown>[]> {
  const acks: Ack<unknown>[] = [];
  const end = performance.now() + FLOOD_MS;
  while (performance.now() < end) {
    const started = await socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Mallory', email: 'm@example.com', question: 'Spam' });
    acks.push(started);
    if (started.ok) acks.push(await socket.emitWithAck('chat:close', { conversationId: started.data.conversation.id }));
  }
  return acks;
}

const cases: Record<string, FloodCase> = {
  'page views': {
    limit: 'visitor.pageView',
    needsChat: false,
    run: (s) => {
      let i = 0;
      return flood(s, () => ['page:view', page(i++)]);
    },
  },
  'typing updates': {
    limit: 'visitor.typing',
    needsChat: true,
    run: (s, chat) => {
      let i = 0;
      return flood(s, () => ['typing:set', { conversationId: chat, typing: i++ % 2 === 0 }]);
    },
  },
  messages: {
    limit: 'visitor.message',
    needsChat: true,
    run: (s, chat) => flood(s, () => ['message:send', { conversationId: chat, clientId: newClientId(), body: 'spam' }]),
  },
  'sync requests': { limit: 'visitor.sync', needsChat: true, run: (s, chat) => flood(s, () => ['chat:sync', { conversationId: chat, afterSeq: 0 }]) },
  'close requests': { limit: 'visitor.close', needsChat: true, run: (s, chat) => flood(s, () => ['chat:close', { conversationId: chat }]) },
  'chat starts and closes': { limit: 'visitor.chatStart', needsChat: false, run: (s) => startCloseLoop(s) },
};

describe('one hostile visitor flooding', () => {
  // One server for the whole flood series: the bystanders keep chatting through every flood.
  const h = new Harness();
  afterAll(() => h.closeAll());
  let server: TestServer;
  let accountId: string;
  let operator: OperatorClient;
  const bystanders: Bystander[] = [];
  let requested: unknown[];
  let updates: { id: string }[];
  let baseline: number;

  beforeAll(async () => {
    server = await h.server();
    const op = await h.operator(server);
    accountId = op.account.id;
    operator = op.socket;
    // Ten chats for one operator: above the default limit of concurrent chats (#6, A1).
    await server.app.ctx.db.update(operators).set({ maxChats: 20 }).where(eq(operators.id, op.admin.id));
    for (let i = 0; i < 10; i++) bystanders.push(await bystanderChat(h, server, accountId, operator));
    requested = collect(operator, 'chat:requested');
    updates = collectRows(operator);
    // Warm the path up (JIT, prepared statements, the limiters), then take the memory baseline.
    await roundTrips(bystanders, operator, new Promise((r) => setTimeout(r, 500)));
    baseline = await heapAfterGc();
  }, 60_000);

  it.each(Object.entries(cases))(
    '%s: refused with rate_limited past the limit while a bystander chat keeps its p99 under 100 ms',
    async (name, c) => {
      const { socket: hostile, session } = await h.connectVisitor(server, accountId);
      let chat = '';
      if (c.needsChat) {
        const res = await hostile.emitWithAck('chat:start', { clientId: newClientId(), name: 'Mallory', email: 'm@example.com', question: 'Hi' });
        if (!res.ok) throw new Error('chat:start failed');
        chat = res.data.conversation.id;
      }
      const requestedBefore = requested.length;
      const updatesOf = () => updates.filter((u) => u.id === session.visitorId).length;
      const updatesBefore = updatesOf();

      // The same bystanders just before, without the flood: what this machine gives them now (CI runs
      // other test files beside this one, and on 2 cores their bursts alone reach tens of ms).
      const control = p99(await roundTrips(bystanders, operator, new Promise((r) => setTimeout(r, 1_000))));
      const flooding = c.run(hostile, chat);
      const samples = await roundTrips(bystanders, operator, flooding);
      const acks = await flooding;

      const accepted = acks.filter((a) => a.ok).length;
      const refused = acks.filter((a) => !a.ok && a.error.code === 'rate_limited');
      const latency = p99(samples);
      console.info(
        `${name}: ${acks.length} sent, ${accepted} accepted, ${refused.length} rate_limited; bystander p99 ${latency.toFixed(1)} ms over ${samples.length} round trips (${control.toFixed(1)} ms without the flood)`,
      );
      // Under 100 ms; on a machine already this busy without the flood, the flood adds at most half of that.
      expect(latency).toBeLessThanOrEqual(Math.max(P99_LIMIT_MS, control + P99_LIMIT_MS / 2));
      expect(refused.length).toBeGreaterThan(0);
      const first = refused[0]!;
      expect(!first.ok && first.error.message).toMatch(/^Too many .+; slow down and try again in \d+ (seconds?|minutes?)\.$/);
      expect(!first.ok && first.error.retryAfterMs).toBeGreaterThan(0);
      // No more got through than the socket's limit allows over the flood's windows.
      const { perSocket } = COMMAND_LIMITS[c.limit];
      expect(accepted).toBeLessThanOrEqual(perSocket.points * (Math.ceil(FLOOD_MS / 1000 / perSocket.durationSec) + 1));
      if (c.limit === 'visitor.chatStart') {
        // Each new chat is a notification on every operator's desktop.
        expect(requested.length - requestedBefore).toBeLessThanOrEqual(COMMAND_LIMITS['visitor.chatStart'].perActor.points);
      }
      if (c.limit === 'visitor.pageView') {
        // The grid hears of the flooder about once a second, not once per page view.
        await new Promise((r) => setTimeout(r, VISITOR_UPDATE_INTERVAL_MS + 100));
        expect(updatesOf() - updatesBefore).toBeLessThanOrEqual(Math.ceil(FLOOD_MS / VISITOR_UPDATE_INTERVAL_MS) + 2);
      }
      hostile.disconnect();
    },
    30_000,
  );

  it('afterwards holds nothing for the flooders, and the memory returns to its baseline', async () => {
    await new Promise((r) => setTimeout(r, VISITOR_UPDATE_INTERVAL_MS + 200)); // throttled updates and coalesced writes settle
    expect(server.app.ctx.visitorActivity.size).toEqual({ writes: 0, updates: 0, accounts: 0 });
    const after = await heapAfterGc();
    console.info(`heap after GC: ${(baseline / 1e6).toFixed(1)} MB before the floods, ${(after / 1e6).toFixed(1)} MB after`);
    expect(after - baseline, `heap ${(baseline / 1e6).toFixed(1)} MB → ${(after / 1e6).toFixed(1)} MB`).toBeLessThan(8e6);
  });
});

describe('many connections from one address', () => {
  const h = new Harness();
  afterEach(() => h.closeAll());

  /** A widget connection attempt: the session, or the connect_error's message and data. */
  function attempt(server: TestServer, auth: { accountId: string; visitorToken?: string }, headers?: Record<string, string>) {
    const socket: VisitorClient = io(`${server.url}${VISITOR_NAMESPACE}`, {
      auth,
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      ...(headers ? { extraHeaders: headers } : {}),
    });
    return new Promise<{ socket: VisitorClient; session?: VisitorSession; error?: { message: string; data?: { retryAfterMs?: number } } }>((resolve) => {
      socket.once('session:started', (session) => resolve({ socket, session }));
      socket.once('connect_error', (err) => resolve({ socket, error: err as never }));
    });
  }

  async function inBatches<T>(n: number, batch: number, one: (i: number) => Promise<T>): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < n; i += batch) out.push(...(await Promise.all(Array.from({ length: Math.min(batch, n - i) }, (_, j) => one(i + j)))));
    return out;
  }

  it('refuses new visitors from one address beyond the limit, so 1,000 connects do not put 1,000 rows in the grid', async () => {
    const server = await h.server();
    const { account, socket: operator } = await h.operator(server);
    const limit = DEFAULT_LIMITS.newVisitorsPerAddress;

    const results = await inBatches(1_000, 100, () => attempt(server, { accountId: account.id }));
    for (const r of results) r.socket.disconnect();

    const admitted = results.filter((r) => r.session);
    const refused = results.filter((r) => r.error?.message === 'rate_limited');
    expect(admitted).toHaveLength(limit);
    expect(refused).toHaveLength(1_000 - limit);
    expect(refused[0]!.error!.data?.retryAfterMs).toBeGreaterThan(0);
    const grid = await operator.emitWithAck('visitor:list', {});
    expect(grid.ok && grid.data.length).toBe(limit);

    // Returning visitors (a genuine token) and other addresses are still let in.
    const back = await attempt(server, { accountId: account.id, visitorToken: admitted[0]!.session!.visitorToken });
    expect(back.session?.visitorId).toBe(admitted[0]!.session!.visitorId);
    back.socket.disconnect();
  }, 60_000);

  it('refuses a returning visitor who reconnects in a loop, past the limit per minute', async () => {
    const server = await h.server();
    const { account } = await h.operator(server);
    const { socket, session } = await h.connectVisitor(server, account.id);
    socket.disconnect();
    const outcomes: string[] = [];
    for (let i = 0; i < VISITOR_CONNECTS.points + 5; i++) {
      const r = await attempt(server, { accountId: account.id, visitorToken: session.visitorToken });
      outcomes.push(r.session ? 'in' : (r.error?.message ?? '?'));
      r.socket.disconnect();
    }
    // (The first connect made the visitor: it counted as a new visitor of the address.)
    expect(outcomes.filter((o) => o === 'in')).toHaveLength(VISITOR_CONNECTS.points);
    expect(outcomes.slice(-5)).toEqual(Array(5).fill('rate_limited'));
    // A new visitor from the same address is someone else.
    expect((await attempt(server, { accountId: account.id })).session).toBeDefined();
  }, 60_000);

  it('limits the connections one address holds open at once, and counts them down as they close', async () => {
    const server = await h.server({ trustProxy: 1, limits: { ...DEFAULT_LIMITS, visitorConnectionsPerAddress: 20, newVisitorsPerAddress: 0 } });
    const { account } = await h.operator(server);
    const office = { 'x-forwarded-for': '192.0.2.50' };
    const { session } = await h.connectVisitor(server, account.id, undefined, office);
    const tabs = await inBatches(40, 20, () => attempt(server, { accountId: account.id, visitorToken: session.visitorToken }, office));
    expect(tabs.filter((t) => t.session)).toHaveLength(19);
    expect(tabs.filter((t) => t.error?.message === 'rate_limited')).toHaveLength(21);
    // Another address is not affected.
    const elsewhere = await attempt(server, { accountId: account.id }, { 'x-forwarded-for': '198.51.100.50' });
    expect(elsewhere.session).toBeDefined();

    for (const t of tabs) t.socket.disconnect();
    await until(() => server.app.ctx.limits.visitorConnections.openFrom('192.0.2.50') === 1, 5_000, 'the closed tabs to be counted down');
    const again = await attempt(server, { accountId: account.id, visitorToken: session.visitorToken }, office);
    expect(again.session).toBeDefined();
    // Refused handshakes (unknown account) give their place back too.
    const bad = await inBatches(30, 30, () => attempt(server, { accountId: '00000000-0000-4000-8000-000000000000' }, office));
    expect(bad.every((b) => b.error)).toBe(true);
    for (const b of bad) b.socket.disconnect();
    await until(() => server.app.ctx.limits.visitorConnections.openFrom('192.0.2.50') === 2, 5_000, 'the refused handshakes to be counted down');
    for (const s of [elsewhere, again]) s.socket.disconnect();
  }, 60_000);
});
