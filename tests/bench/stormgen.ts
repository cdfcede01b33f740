/**
 * Load generator of the reconnect storm (`npm run bench -- --storm`, #4): a separate process,
 * driven over IPC by storm.ts, holding idle visitors, operators and a few chats that keep talking.
 * Every client does on each (re)connect what the real one does (the widget: `page:view` unless
 * its page was already recorded, then `chat:sync`; the panel: `chat:list`, `visitor:list`, then
 * `chat:sync` of its chats), with the widget's and panel's own reconnection settings.
 */
import { PANEL_RECONNECT, WIDGET_RECONNECT } from '../../shared/reconnect';
import type { MessageView } from '../../shared/schemas/chats';
import { pool } from './proc';
import { ChatClient, type ChatClientOptions } from '../support/chatClient';

export type StormCommand =
  | {
      type: 'connect';
      url: string;
      accounts: { accountId: string; operatorTokens: string[] }[];
      visitorsPerAccount: number;
      /** Chats per account that keep talking through the storm (the first visitors of the account). */
      talkingPerAccount: number;
      concurrency: number;
      tag: string;
    }
  /** From now on, record when each client has reconnected and resynced. */
  | { type: 'watch' }
  | { type: 'status' }
  /** Talking chats send `rate` messages/s in all until `talk:stop`. */
  | { type: 'talk'; rate: number }
  | { type: 'talk:stop'; drainMs: number }
  | { type: 'close' };

export interface StormConnected {
  type: 'connected';
  visitors: number;
  operators: number;
  talking: number;
  failures: string[];
  seconds: number;
}

export interface StormStatus {
  type: 'status';
  clients: number;
  /** Epoch ms at which each client resynced since `watch` (only those that did). */
  resyncedAt: number[];
  connectErrors: number;
}

export interface TalkResult {
  type: 'talk:result';
  /**
   * [sent at (epoch ms), delivery latency (ms), 1 if both ends of its chat had resynced when it was
   * sent else 0] per delivered message.
   */
  deliveries: [number, number, number][];
  sent: number;
  acked: number;
  ackErrors: number;
  /** Acked but never seen by the other side. */
  missing: number;
  duplicates: number;
}

const now = () => performance.timeOrigin + performance.now();
const send = (msg: object) => process.send?.(msg);

interface Chat {
  visitor: ChatClient;
  operator: ChatClient;
  conversationId: string;
}

const clients: ChatClient[] = [];
const resyncedAt = new Map<ChatClient, number>();
let watching = false;
let chats: Chat[] = [];

interface Talk {
  timer: NodeJS.Timeout;
  sent: number;
  acked: Set<number>;
  ackErrors: number;
  /** Messages sent while both ends of their chat were back since `watch` (by message number). */
  bothBack: Set<number>;
  delivered: Map<number, [number, number, number]>;
  duplicates: number;
}
let talk: Talk | null = null;

function onDelivered(receiver: 'visitor' | 'operator', m: MessageView) {
  if (m.author === receiver || !talk) return;
  const match = /^storm (\d+(?:\.\d+)?) (\d+)$/.exec(m.body);
  if (!match) return;
  const k = Number(match[2]);
  if (talk.delivered.has(k)) {
    talk.duplicates += 1;
    return;
  }
  const sentAt = Number(match[1]);
  talk.delivered.set(k, [Math.round(sentAt), Math.round((now() - sentAt) * 100) / 100, talk.bothBack.has(k) ? 1 : 0]);
}

function client(options: Omit<ChatClientOptions, 'keepHistory' | 'onResynced'>): ChatClient {
  const reconnect = options.role === 'visitor' ? WIDGET_RECONNECT : PANEL_RECONNECT;
  const c: ChatClient = new ChatClient({
    ...options,
    keepHistory: false,
    ackTimeoutMs: 10_000,
    reconnection: reconnect,
    onResynced: () => {
      if (watching && !resyncedAt.has(c)) resyncedAt.set(c, now());
    },
  });
  clients.push(c);
  return c;
}

async function connectAll(cmd: Extract<StormCommand, { type: 'connect' }>): Promise<StormConnected> {
  const t0 = Date.now();
  const failures: string[] = [];
  let visitorCount = 0;
  let operatorCount = 0;
  const made: Chat[] = [];
  for (const account of cmd.accounts) {
    // The panel: its lists on every connect (the background's and the panel's chat:list, the grid).
    const operators = await Promise.all(
      account.operatorTokens.map((token) =>
        client({
          url: cmd.url,
          role: 'operator',
          auth: { token },
          onMessage: (m) => onDelivered('operator', m),
          onConnectWork: (c) => Promise.all([c.request('chat:list', {}), c.request('chat:list', {}), c.request('visitor:list', {})]),
        })
          .connect(30_000)
          .then((c) => (operatorCount++, c)),
      ),
    );
    await pool(cmd.visitorsPerAccount, cmd.concurrency, async (i) => {
      // The widget sends `page:view` once per page load; a reconnect on the same page doesn't repeat it.
      let pageRecorded = false;
      const visitor = client({
        url: cmd.url,
        role: 'visitor',
        auth: { accountId: account.accountId },
        onMessage: (m) => onDelivered('visitor', m),
        onConnectWork: async (c) => {
          if (pageRecorded) return;
          await c.request('page:view', { url: `https://shop.example/${cmd.tag}/${i % 200}`, title: 'Shop', referrer: '', language: 'en' });
          pageRecorded = true;
        },
      });
      try {
        await visitor.connect(30_000);
        visitorCount++;
        if (i < cmd.talkingPerAccount) {
          const operator = operators[i % operators.length]!;
          const started = await visitor.startChat({ name: `Visitor ${cmd.tag}-${i}`, email: `v${i}@example.com`, question: 'Still there?' });
          await operator.acceptChat(started.conversation.id);
          made.push({ visitor, operator, conversationId: started.conversation.id });
        }
      } catch (e) {
        if (failures.length < 5) failures.push(String(e));
      }
    });
  }
  chats = made;
  return { type: 'connected', visitors: visitorCount, operators: operatorCount, talking: made.length, failures, seconds: (Date.now() - t0) / 1000 };
}

function startTalk(rate: number): void {
  const t0 = now();
  const state: Talk = {
    timer: undefined as unknown as NodeJS.Timeout,
    sent: 0,
    acked: new Set(),
    ackErrors: 0,
    bothBack: new Set(),
    delivered: new Map(),
    duplicates: 0,
  };
  talk = state;
  state.timer = setInterval(() => {
    const due = chats.length === 0 ? 0 : Math.floor(((now() - t0) / 1000) * rate);
    while (state.sent < due) {
      const k = state.sent++;
      const chat = chats[k % chats.length]!;
      const sender = Math.floor(k / chats.length) % 2 === 0 ? chat.visitor : chat.operator;
      if (watching && resyncedAt.has(chat.visitor) && resyncedAt.has(chat.operator)) state.bothBack.add(k);
      // Sends go into the client's outbox: while the server is down they wait and are resent.
      sender.send(chat.conversationId, `storm ${now().toFixed(3)} ${k}`).then(
        () => state.acked.add(k),
        () => (state.ackErrors += 1),
      );
    }
  }, 5);
}

async function stopTalk(drainMs: number): Promise<TalkResult> {
  const state = talk!;
  clearInterval(state.timer);
  const until = Date.now() + drainMs;
  while (Date.now() < until && (state.acked.size + state.ackErrors < state.sent || [...state.acked].some((k) => !state.delivered.has(k)))) {
    await new Promise((r) => setTimeout(r, 50));
  }
  talk = null;
  return {
    type: 'talk:result',
    deliveries: [...state.delivered.values()],
    sent: state.sent,
    acked: state.acked.size,
    ackErrors: state.ackErrors,
    missing: [...state.acked].filter((k) => !state.delivered.has(k)).length,
    duplicates: state.duplicates,
  };
}

// eslint-disable-next-line @typescript-eslint/no-misused-promises -- every command's error is caught below and sent back
process.on('message', async (cmd: StormCommand) => {
  try {
    if (cmd.type === 'connect') send(await connectAll(cmd));
    else if (cmd.type === 'watch') {
      resyncedAt.clear();
      watching = true;
      send({ type: 'watching' });
    } else if (cmd.type === 'status') {
      send({
        type: 'status',
        clients: clients.length,
        resyncedAt: [...resyncedAt.values()],
        connectErrors: clients.reduce((s, c) => s + c.stats.connectErrors, 0),
      } satisfies StormStatus);
    } else if (cmd.type === 'talk') {
      startTalk(cmd.rate);
      send({ type: 'talking' });
    } else if (cmd.type === 'talk:stop') send(await stopTalk(cmd.drainMs));
    else if (cmd.type === 'close') {
      for (const c of clients) c.close();
      send({ type: 'closed' });
      process.disconnect?.();
      setTimeout(() => process.exit(0), 200);
    }
  } catch (e) {
    send({ type: 'error', message: String((e as Error)?.stack ?? e) });
  }
});
