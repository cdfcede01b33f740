/**
 * Load generator: a separate process (forked by run.ts, driven over IPC) that plays visitors and
 * operators with the same client the fault tests use (tests/support/chatClient.ts), over the real
 * protocol, websocket transport. Both sides of a chat live in the same process, so the send time
 * in the body and the receive time come from one clock.
 */
import { pool } from './proc';
import { ChatClient } from '../support/chatClient';
import type { MessageView } from '../../shared/schemas/chats';

export type LoadgenCommand =
  /** `accounts`: the accounts of this generator's chats, `chatsPerAccount` chats each (the last may have fewer). */
  | {
      type: 'chats';
      url: string;
      accounts: { accountId: string; operatorToken: string }[];
      chatsPerAccount: number;
      chats: number;
      concurrency: number;
      tag: string;
    }
  | { type: 'run'; rate: number; durationMs: number; drainMs: number }
  | { type: 'idle'; url: string; accountIds: string[]; visitors: number; concurrency: number; tag: string }
  | { type: 'backlog' }
  | { type: 'pageviews'; rate: number; durationMs: number }
  | { type: 'close' };

export interface ChatsReady {
  type: 'chats:ready';
  chats: number;
  connectFailures: number;
  setupFailures: string[];
  seconds: number;
}

export interface RunResult {
  type: 'run:result';
  seconds: number;
  targetRate: number;
  sent: number;
  acked: number;
  ackErrors: number;
  /** Acked and seen by the other side, per direction. */
  deliveredToOperator: number;
  deliveredToVisitor: number;
  /** Acked but never seen by the other side within the drain time. */
  missing: number;
  /** A message the other side got twice (different seq for one client id = stored twice). */
  duplicates: number;
  wireDuplicates: number;
  disconnects: number;
  latencyToOperator: number[];
  latencyToVisitor: number[];
  ackLatency: number[];
  loadgenCpuSeconds: number;
  maxTimerLagMs: number;
}

/** Messages sent but not acknowledged yet, over all clients of this generator. */
export interface Backlog {
  type: 'backlog';
  pending: number;
}

export interface IdleReady {
  type: 'idle:ready';
  connected: number;
  connectFailures: number;
  seconds: number;
}

export interface PageviewsResult {
  type: 'pageviews:result';
  sent: number;
  acked: number;
  failed: number;
  ackLatency: number[];
}

interface Chat {
  visitor: ChatClient;
  operator: ChatClient;
  conversationId: string;
}

const now = () => performance.timeOrigin + performance.now();
const send = (msg: object) => process.send?.(msg);

let chats: Chat[] = [];
/** Every distinct client of the chats (an account's operator socket serves all its chats). */
let clients: ChatClient[] = [];
let idle: ChatClient[] = [];
/** Per run: what each side has received, keyed by the bench's message number. */
let current: RunState | null = null;

interface RunState {
  toOperator: number[];
  toVisitor: number[];
  seen: Set<number>;
  duplicates: number;
}

function onDelivered(receiver: 'visitor' | 'operator', m: MessageView) {
  if (m.author === receiver || !current) return; // our own message coming back, or not measuring
  const match = /^bench (\d+(?:\.\d+)?) (\d+)$/.exec(m.body);
  if (!match) return;
  const latency = now() - Number(match[1]);
  const k = Number(match[2]);
  if (current.seen.has(k)) {
    current.duplicates += 1;
    return;
  }
  current.seen.add(k);
  (receiver === 'operator' ? current.toOperator : current.toVisitor).push(Math.round(latency * 100) / 100);
}

async function setUpChats(cmd: Extract<LoadgenCommand, { type: 'chats' }>): Promise<ChatsReady> {
  const t0 = Date.now();
  let connectFailures = 0;
  const setupFailures: string[] = [];
  const made: Chat[] = [];
  // One operator socket per account (like the extension's background), serving all its chats.
  const operators = new Map<string, Promise<ChatClient>>();
  const operatorOf = (account: { accountId: string; operatorToken: string }) => {
    let op = operators.get(account.accountId);
    if (!op) {
      const client = new ChatClient({
        url: cmd.url,
        role: 'operator',
        auth: { token: account.operatorToken },
        keepHistory: false,
        onMessage: (m) => onDelivered('operator', m),
      });
      op = client.connect(20_000);
      operators.set(account.accountId, op);
    }
    return op;
  };
  await pool(cmd.chats, cmd.concurrency, async (i) => {
    const account = cmd.accounts[Math.min(Math.floor(i / cmd.chatsPerAccount), cmd.accounts.length - 1)]!;
    const visitor = new ChatClient({
      url: cmd.url,
      role: 'visitor',
      auth: { accountId: account.accountId },
      keepHistory: false,
      onMessage: (m) => onDelivered('visitor', m),
    });
    let operator: ChatClient;
    try {
      [operator] = await Promise.all([operatorOf(account), visitor.connect(20_000)]);
    } catch {
      connectFailures += 1;
      visitor.close();
      return;
    }
    try {
      await visitor.request('page:view', { url: `https://shop.example/p/${i % 50}`, title: 'Product', referrer: '', language: 'en' });
      const started = await visitor.startChat({ name: `Visitor ${cmd.tag}-${i}`, email: `v${i}@example.com`, question: 'Hello, is this in stock?' });
      await operator.acceptChat(started.conversation.id);
      made.push({ visitor, operator, conversationId: started.conversation.id });
    } catch (e) {
      if (setupFailures.length < 5) setupFailures.push(String(e));
      visitor.close();
    }
  });
  chats = made;
  clients = [...new Set(made.flatMap((c) => [c.visitor, c.operator]))];
  return { type: 'chats:ready', chats: made.length, connectFailures, setupFailures, seconds: (Date.now() - t0) / 1000 };
}

async function run(cmd: Extract<LoadgenCommand, { type: 'run' }>): Promise<RunResult> {
  const state: RunState = { toOperator: [], toVisitor: [], seen: new Set(), duplicates: 0 };
  current = state;
  const disconnects0 = clients.reduce((s, c) => s + c.stats.disconnects, 0);
  const wire0 = clients.reduce((s, c) => s + c.stats.wireDuplicates, 0);
  const cpu0 = process.cpuUsage();
  const ackLatency: number[] = [];
  const acked = new Set<number>();
  let sent = 0;
  let ackErrors = 0;
  let maxLag = 0;
  let lastAckAt = 0;
  const t0 = now();
  const n = chats.length;

  // Messages go out at the target rate, round-robin over chats, visitor and operator in turn:
  // a tick every 2 ms sends what is due by now, so a late tick catches up instead of drifting.
  await new Promise<void>((resolve) => {
    let lastTick = t0;
    const timer = setInterval(() => {
      const t = now();
      maxLag = Math.max(maxLag, t - lastTick - 2);
      lastTick = t;
      // A generator none of whose chats could be set up sends nothing (the run reports the shortfall).
      const due = n === 0 ? 0 : Math.min(Math.floor(((t - t0) / 1000) * cmd.rate), Math.floor((cmd.durationMs / 1000) * cmd.rate));
      while (sent < due) {
        const k = sent++;
        const chat = chats[k % n]!;
        const fromVisitor = Math.floor(k / n) % 2 === 0;
        const sender = fromVisitor ? chat.visitor : chat.operator;
        const sentAt = now();
        sender.send(chat.conversationId, `bench ${sentAt.toFixed(3)} ${k}`).then(
          () => {
            lastAckAt = now();
            ackLatency.push(Math.round((lastAckAt - sentAt) * 100) / 100);
            acked.add(k);
          },
          () => (ackErrors += 1),
        );
      }
      if (t - t0 >= cmd.durationMs) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  const sendSeconds = (now() - t0) / 1000;

  // Drain: wait until every acked message reached the other side (or the drain time is over).
  const drainUntil = Date.now() + cmd.drainMs;
  while (Date.now() < drainUntil && (acked.size + ackErrors < sent || [...acked].some((k) => !state.seen.has(k)))) {
    await new Promise((r) => setTimeout(r, 50));
  }
  current = null;
  const missing = [...acked].filter((k) => !state.seen.has(k)).length;
  const cpu = process.cpuUsage(cpu0);
  return {
    type: 'run:result',
    // Until the last ack: a server that falls behind commits at a lower rate than it was sent.
    seconds: Math.max(sendSeconds, (lastAckAt - t0) / 1000),
    targetRate: cmd.rate,
    sent,
    acked: acked.size,
    ackErrors,
    deliveredToOperator: state.toOperator.length,
    deliveredToVisitor: state.toVisitor.length,
    missing,
    duplicates: state.duplicates,
    wireDuplicates: clients.reduce((s, c) => s + c.stats.wireDuplicates, 0) - wire0,
    disconnects: clients.reduce((s, c) => s + c.stats.disconnects, 0) - disconnects0,
    latencyToOperator: state.toOperator,
    latencyToVisitor: state.toVisitor,
    ackLatency,
    loadgenCpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxTimerLagMs: Math.round(maxLag),
  };
}

async function connectIdle(cmd: Extract<LoadgenCommand, { type: 'idle' }>): Promise<IdleReady> {
  const t0 = Date.now();
  let failures = 0;
  const made: ChatClient[] = [];
  await pool(cmd.visitors, cmd.concurrency, async (i) => {
    const v = new ChatClient({ url: cmd.url, role: 'visitor', auth: { accountId: cmd.accountIds[i % cmd.accountIds.length]! }, keepHistory: false });
    try {
      await v.connect(30_000);
      await v.request('page:view', { url: `https://shop.example/${cmd.tag}/${i % 200}`, title: 'Shop', referrer: 'https://search.example/', language: 'en' });
      made.push(v);
    } catch {
      failures += 1;
      v.close();
    }
  });
  idle = made;
  return { type: 'idle:ready', connected: made.length, connectFailures: failures, seconds: (Date.now() - t0) / 1000 };
}

/** Idle visitors keep browsing: page views at a low total rate, nothing else. */
async function pageviews(cmd: Extract<LoadgenCommand, { type: 'pageviews' }>): Promise<PageviewsResult> {
  const ackLatency: number[] = [];
  let sent = 0;
  let failed = 0;
  const t0 = now();
  const total = Math.floor((cmd.durationMs / 1000) * cmd.rate);
  const inflight: Promise<void>[] = [];
  while (sent < total && idle.length > 0) {
    const due = Math.min(total, Math.floor(((now() - t0) / 1000) * cmd.rate));
    while (sent < due) {
      const v = idle[(sent * 7919) % idle.length]!; // spread over visitors
      const at = now();
      sent += 1;
      inflight.push(
        v.request('page:view', { url: `https://shop.example/p/${sent % 300}`, title: 'Product', referrer: '', language: 'en' }).then(
          () => void ackLatency.push(Math.round((now() - at) * 100) / 100),
          () => void (failed += 1),
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(inflight);
  return { type: 'pageviews:result', sent, acked: ackLatency.length, failed, ackLatency };
}

// eslint-disable-next-line @typescript-eslint/no-misused-promises -- every command's error is caught below and sent back
process.on('message', async (cmd: LoadgenCommand) => {
  try {
    if (cmd.type === 'chats') send(await setUpChats(cmd));
    else if (cmd.type === 'run') send(await run(cmd));
    else if (cmd.type === 'idle') send(await connectIdle(cmd));
    else if (cmd.type === 'pageviews') send(await pageviews(cmd));
    else if (cmd.type === 'backlog') send({ type: 'backlog', pending: clients.reduce((s, c) => s + c.pending, 0) } satisfies Backlog);
    else if (cmd.type === 'close') {
      for (const c of clients) c.close();
      for (const v of idle) v.close();
      chats = [];
      clients = [];
      idle = [];
      send({ type: 'closed' });
      process.disconnect?.();
      setTimeout(() => process.exit(0), 200);
    }
  } catch (e) {
    send({ type: 'error', message: String((e as Error)?.stack ?? e) });
  }
});
