import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { OperatorSocketData, VisitorSocketData } from '../realtime/io';
import { rateLimited, tryConsume, type LimiterStore, type Rate } from './store';

const rate = (points: number, durationSec: number): Rate => ({ points, durationSec });

/** How often one class of socket commands may be used (#4). */
export interface CommandLimit {
  /** Completes the refusal "Too many …; slow down". */
  what: string;
  /** Per socket (one tab or panel), counted on its node. */
  perSocket: Rate;
  /** Per visitor or operator over all their sockets, shared by every node (REDIS_URL). */
  perActor: Rate;
}

/**
 * Every socket command declares one of these classes where it is registered
 * (`withAck(schema, handler, { limit: 'visitor.message' })`), so a new command can't be added
 * without a limit. #4: one hostile visitor flooding any command must not slow anybody else's
 * chat. Commands that read the database per call (sync, typing, page views) get one-second
 * windows per socket: a flood gets a small burst, not a queue of queries other chats wait behind
 * (60 syncs let through at once held a bystander's message for 130 ms on PGlite). Messages are
 * committed in batches, so a burst of them costs little: their windows are longer and roomier,
 * enough for an outbox flushed after a reconnect and for the pipelining test clients (Q1
 * ordering: a refused message in the middle of a pipelined stream is resent after later ones).
 * Visitor limits sit well above what the widget sends (a page view per navigation, a typing
 * update every 4 s, one message at a time); operator limits only stop a runaway client.
 */
export const COMMAND_LIMITS = {
  // Each page view is a database write (one in flight per visitor) and a grid update.
  'visitor.pageView': { what: 'page views', perSocket: rate(5, 1), perActor: rate(30, 10) },
  'visitor.typing': { what: 'typing updates', perSocket: rate(5, 1), perActor: rate(30, 10) },
  // A new chat raises a notification for every operator; a widget retries a failed start with the
  // same clientId (answered from the database, no new chat), so a handful is plenty.
  'visitor.chatStart': { what: 'new chats', perSocket: rate(5, 60), perActor: rate(10, 15 * 60) },
  'visitor.message': { what: 'messages', perSocket: rate(600, 60), perActor: rate(1200, 60) },
  // Catching up reads pages of 500 messages.
  'visitor.sync': { what: 'sync requests', perSocket: rate(10, 1), perActor: rate(100, 10) },
  'visitor.close': { what: 'close requests', perSocket: rate(5, 60), perActor: rate(10, 60) },
  // V2: a thumb, then maybe a comment, maybe a changed mind; a few per chat.
  'visitor.rating': { what: 'ratings', perSocket: rate(10, 60), perActor: rate(30, 10 * 60) },
  // V2: each one sends a mail. Per visitor, so at most 3 per conversation an hour; the recipient
  // address has its own limit besides (limits/visitorMail.ts).
  'visitor.transcript': { what: 'transcript emails', perSocket: rate(3, 3600), perActor: rate(3, 3600) },
  // P5: the widget reports what it displayed, at most once a second while the chat is open.
  'visitor.read': { what: 'read updates', perSocket: rate(5, 1), perActor: rate(30, 10) },
  // The grid: up to 2,000 rows a call.
  'operator.visitorList': { what: 'visitor list requests', perSocket: rate(10, 1), perActor: rate(60, 10) },
  // chat:list, chat:get, chat:sync, read:mark: a panel reconnecting syncs every open chat at once.
  'operator.read': { what: 'requests', perSocket: rate(100, 1), perActor: rate(1000, 10) },
  // P9 (#6): archive searches, a full-text query each; typing in the search box sends none (Enter does).
  'operator.search': { what: 'searches', perSocket: rate(10, 1), perActor: rate(120, 10) },
  // chat:accept, chat:close.
  'operator.chatChange': { what: 'chat changes', perSocket: rate(20, 1), perActor: rate(400, 10) },
  'operator.message': { what: 'messages', perSocket: rate(5000, 10), perActor: rate(10000, 10) },
  'operator.typing': { what: 'typing updates', perSocket: rate(10, 1), perActor: rate(200, 10) },
  // P10: creating, changing, deleting canned responses by hand (and a script's import, slowly).
  'operator.settings': { what: 'changes', perSocket: rate(10, 1), perActor: rate(300, 60) },
  // #6: status changes and activity reports (the panel sends one every half minute at most).
  'operator.status': { what: 'status updates', perSocket: rate(10, 1), perActor: rate(60, 10) },
} satisfies Record<string, CommandLimit>;

export type CommandLimitName = keyof typeof COMMAND_LIMITS;

/** What the limits need of a socket: its id and who is behind it. */
export interface LimitedSocket {
  id: string;
  data: VisitorSocketData | OperatorSocketData;
}

function actorKey(data: LimitedSocket['data']): string {
  return 'visitorId' in data ? `v:${data.visitorId}` : `o:${data.operatorId}`;
}

/** The counters of {@link COMMAND_LIMITS}. */
export class CommandLimits {
  private readonly limiters = new Map<CommandLimitName, { what: string; perSocket: RateLimiterAbstract; perActor: RateLimiterAbstract }>();

  /** `scale` multiplies every limit's points (config COMMAND_LIMITS_SCALE). */
  constructor(store: LimiterStore, scale = 1) {
    const scaled = (r: Rate): Rate => ({ points: Math.max(1, Math.round(r.points * scale)), durationSec: r.durationSec });
    for (const [name, limit] of Object.entries(COMMAND_LIMITS) as [CommandLimitName, CommandLimit][]) {
      this.limiters.set(name, {
        what: limit.what,
        perSocket: store.local(`cmd.${name}.socket`, scaled(limit.perSocket)),
        perActor: store.shared(`cmd.${name}.actor`, scaled(limit.perActor)),
      });
    }
  }

  /** Counts one use of `name` by `socket`; throws `rate_limited` (with the wait) when over a limit. */
  async consume(name: CommandLimitName, socket: LimitedSocket): Promise<void> {
    const limit = this.limiters.get(name);
    if (!limit) throw new Error(`No command limit named ${name}`);
    // The socket's own (local, cheap) counter first: a flood is refused without asking Redis.
    const own = await tryConsume(limit.perSocket, socket.id);
    if (!own.ok) throw rateLimited(limit.what, own.res.msBeforeNext);
    const actor = await tryConsume(limit.perActor, actorKey(socket.data));
    if (!actor.ok) throw rateLimited(limit.what, actor.res.msBeforeNext);
  }
}
