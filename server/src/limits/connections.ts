import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimitsConfig } from '../config';
import { tryConsume, type LimiterStore } from './store';

/** The window of `newVisitorsPerAddress`. */
export const NEW_VISITOR_WINDOW_SEC = 10 * 60;
/**
 * Connections of one returning visitor (all tabs, all nodes): each is a handshake's worth of
 * queries, and a page load is one. A person clicking through a site is far below this.
 */
export const VISITOR_CONNECTS = { points: 60, durationSec: 60 };
/** What a refusal for too many open connections suggests as the wait (nobody knows when one closes). */
const BUSY_RETRY_MS = 30_000;

export type Admission = { ok: true; release: () => void } | { ok: false; retryAfterMs: number };

/**
 * #4: widget connections. 1,000 sockets from one address were all accepted, each a new visitor
 * row in every operator's grid. Per address key (IPv4, IPv6 /64):
 * - connections open at once, on this node: they are this node's memory and sockets, and a count
 *   kept in memory can't outlive a crashed node the way a shared one would;
 * - new visitors per 10 minutes, shared by all nodes: each is a row in the database and the grid.
 * Both settings default generously (config.ts): an office behind one NAT is many real visitors.
 * And per returning visitor, connections per minute ({@link VISITOR_CONNECTS}), shared: a visitor
 * reconnecting in a loop is a flood of handshakes.
 */
export class VisitorConnectionLimits {
  private readonly open = new Map<string, number>();
  private readonly newVisitors: RateLimiterAbstract | null;
  private readonly visitorConnects: RateLimiterAbstract;

  constructor(
    store: LimiterStore,
    private readonly config: LimitsConfig,
  ) {
    this.newVisitors =
      config.newVisitorsPerAddress > 0 ? store.shared('visitors.new', { points: config.newVisitorsPerAddress, durationSec: NEW_VISITOR_WINDOW_SEC }) : null;
    this.visitorConnects = store.shared('visitors.connect', VISITOR_CONNECTS);
  }

  /** Connections open now from `address` on this node. */
  openFrom(address: string): number {
    return this.open.get(address) ?? 0;
  }

  /**
   * Admits one more connection from `address`, by a returning visitor (`visitorId`, from a genuine
   * token) or a brand-new one (null), or says how long to wait. An admitted connection must
   * `release()` when it closes (release is idempotent).
   */
  async admit(address: string, visitorId: string | null): Promise<Admission> {
    const max = this.config.visitorConnectionsPerAddress;
    const count = this.openFrom(address);
    if (max > 0 && count >= max) return { ok: false, retryAfterMs: BUSY_RETRY_MS };
    // Taken before waiting on the new-visitor count: parallel handshakes can't all pass the check.
    this.open.set(address, count + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = this.openFrom(address) - 1;
      if (left > 0) this.open.set(address, left);
      else this.open.delete(address);
    };
    const counter = visitorId ? this.visitorConnects : this.newVisitors;
    if (counter) {
      const counted = await tryConsume(counter, visitorId ?? address).catch((err: unknown) => {
        release();
        throw err;
      });
      if (!counted.ok) {
        release();
        return { ok: false, retryAfterMs: counted.res.msBeforeNext };
      }
    }
    return { ok: true, release };
  }
}
