import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { createClient } from 'redis';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../log';

/** A limit: `points` actions per `durationSec` seconds (a fixed window from the first action). */
export interface Rate {
  points: number;
  /** Whole seconds (the Redis store counts in seconds). */
  durationSec: number;
}

/** Longest a limit check waits for Redis before the node's own count decides. */
const REDIS_TIMEOUT_MS = 250;

/**
 * Where the counters of the limits live (#4), built once per app.
 *
 * `shared(...)`: counters every node must agree on (an email, an address, a visitor: any of them
 * can reach several nodes). In Redis when REDIS_URL is set, otherwise in this process's memory.
 * Each Redis limiter has an in-memory insurance limiter with the same rate: while Redis is down
 * or slow (over 250 ms) each node counts on its own, so an outage neither opens the gate (no
 * limit at all) nor closes it (everyone refused); the limits just become per node until it's back.
 *
 * `local(...)`: counters of things that live on one node (a socket), always in memory.
 */
export class LimiterStore {
  private constructor(
    private readonly redis: ReturnType<typeof createClient> | null,
    private readonly prefix: string,
  ) {}

  /**
   * Connects to Redis when `redisUrl` is set (and fails like the Socket.IO adapter does when it
   * can't). `installId` goes into every key: the nodes of one install (one database) share their
   * counts, and two installs on one Redis (or two test servers) never do.
   */
  static async open(opts: { redisUrl?: string; log: Logger; installId: string }): Promise<LimiterStore> {
    const prefix = `sidedesk:limit:${opts.installId}`;
    if (!opts.redisUrl) return new LimiterStore(null, prefix);
    // A client of its own: limit checks never queue behind the adapter's publishes. No offline
    // queue: while Redis is away a check fails at once and the insurance limiter answers.
    const { createClient } = await import('redis'); // only with REDIS_URL (#3: start-up time)
    const client = createClient({ url: opts.redisUrl, disableOfflineQueue: true, socket: { reconnectStrategy: (n) => Math.min(100 * 2 ** n, 2_000) } });
    let down = false;
    client.on('error', (err: unknown) => {
      if (down) return;
      down = true;
      opts.log.warn(`Rate limits: Redis unreachable, each node counts on its own until it is back (${err instanceof Error ? err.message : String(err)})`);
    });
    client.on('ready', () => (down = false));
    await client.connect();
    return new LimiterStore(client, prefix);
  }

  /** A limiter whose counts all nodes share (Redis with REDIS_URL, memory without). */
  shared(name: string, rate: Rate): RateLimiterAbstract {
    const memory = this.local(name, rate);
    if (!this.redis) return memory;
    const redis = new RateLimiterRedis({
      storeClient: this.redis,
      // node-redis v4+ (we use v5) has another command API than ioredis, the library's default.
      useRedisPackage: true,
      rejectIfRedisNotReady: true,
      keyPrefix: `${this.prefix}:${name}`,
      points: rate.points,
      duration: rate.durationSec,
      insuranceLimiter: memory,
    });
    return new RLWrapperTimeouts({ limiter: redis, timeoutMs: REDIS_TIMEOUT_MS, insuranceLimiter: memory });
  }

  /** A limiter counted in this process only. */
  local(name: string, rate: Rate): RateLimiterAbstract {
    return new RateLimiterMemory({ keyPrefix: `${this.prefix}:${name}`, points: rate.points, duration: rate.durationSec });
  }

  async close(): Promise<void> {
    if (!this.redis) return;
    // Redis away: nothing pending is worth waiting for (a quit would wait for the reconnect).
    if (this.redis.isReady) await this.redis.close().catch(() => undefined);
    else this.redis.destroy();
  }
}

/**
 * A `rate_limited` error carrying the wait in ms: "Too many <what>; slow down and try again in 3
 * seconds." (`advice` replaces "slow down and try again").
 */
export function rateLimited(what: string, retryAfterMs: number, advice = 'slow down and try again'): AppError {
  const ms = Math.max(1, Math.ceil(retryAfterMs));
  return new AppError('rate_limited', `Too many ${what}; ${advice} in ${describeWait(ms)}.`, undefined, ms);
}

function describeWait(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return s === 1 ? '1 second' : `${s} seconds`;
  const m = Math.ceil(s / 60);
  if (m < 60) return m === 1 ? '1 minute' : `${m} minutes`;
  const h = Math.ceil(m / 60);
  return h === 1 ? '1 hour' : `${h} hours`;
}

/**
 * Consumes one point of `key`; resolves with the result, or with null when the limit is reached
 * (then `refused.msBeforeNext` says how long). Errors other than "limit reached" (only possible
 * without an insurance limiter) propagate.
 */
export async function tryConsume(
  limiter: RateLimiterAbstract,
  key: string,
  points = 1,
): Promise<{ ok: true; res: RateLimiterRes } | { ok: false; res: RateLimiterRes }> {
  try {
    return { ok: true, res: await limiter.consume(key, points) };
  } catch (err) {
    if (err instanceof RateLimiterRes) return { ok: false, res: err };
    throw err;
  }
}

/** One limit a request counts against: the limiter, the key it is counted under, and what to tell the caller. */
export interface LimitCheck {
  limiter: RateLimiterAbstract;
  key: string;
  /** "Too many <what>" */
  what: string;
  /** "<advice> in <wait>" */
  advice: string;
}

/** Counts one request against each check in order; throws `rate_limited` for the first that is over. */
export async function consumeEach(checks: readonly LimitCheck[]): Promise<void> {
  for (const check of checks) {
    const counted = await tryConsume(check.limiter, check.key);
    if (!counted.ok) throw rateLimited(check.what, counted.res.msBeforeNext, check.advice);
  }
}
