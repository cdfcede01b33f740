/** How often the operators may hear of one visitor's row (`visitor:updated`), at most. */
export const VISITOR_UPDATE_INTERVAL_MS = 1_000;

interface PendingWrite {
  run: () => Promise<void>;
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

/**
 * #4: what one visitor's activity may cost this node and the operators, whatever its rate.
 * `page:view` at 1,000/s was a database write and a `visitor:updated` to every operator each.
 * Now a visitor has at most one page-view write in flight; page views arriving meanwhile wait,
 * and each newer one replaces the waiting one (the grid shows the current page, not history).
 * And the operators hear of a visitor's page views at most once a second: the first at once, the
 * latest of the following ones at the end of the second.
 */
export class VisitorActivity {
  private readonly writes = new Map<string, { pending: PendingWrite | null }>();
  private readonly updates = new Map<string, { timer: NodeJS.Timeout; pending: (() => void) | null }>();
  private closed = false;

  constructor(private readonly updateIntervalMs = VISITOR_UPDATE_INTERVAL_MS) {}

  /**
   * Runs `write` for `visitorId` now if none of theirs is running; otherwise after it, unless a
   * newer write replaces it first. A replaced write's callers settle with the write that replaced it.
   */
  coalesce(visitorId: string, write: () => Promise<void>): Promise<void> {
    const slot = this.writes.get(visitorId);
    if (!slot) {
      const fresh = { pending: null };
      this.writes.set(visitorId, fresh);
      return this.start(visitorId, fresh, write);
    }
    return new Promise<void>((resolve, reject) => {
      slot.pending ??= { run: write, waiters: [] };
      slot.pending.run = write;
      slot.pending.waiters.push({ resolve, reject });
    });
  }

  private start(visitorId: string, slot: { pending: PendingWrite | null }, write: () => Promise<void>): Promise<void> {
    const running = Promise.resolve().then(write);
    const next = () => {
      const pending = slot.pending;
      slot.pending = null;
      if (!pending) return void this.writes.delete(visitorId);
      // Shutting down: the waiting page views are superseded by the end of the connection.
      if (this.closed) return pending.waiters.forEach((w) => w.resolve());
      this.start(visitorId, slot, pending.run).then(
        () => pending.waiters.forEach((w) => w.resolve()),
        (err: unknown) => pending.waiters.forEach((w) => w.reject(err)),
      );
    };
    running.then(next, next);
    return running;
  }

  /**
   * Sends a visitor's row with `send`: at once if nothing was sent for them within the interval,
   * otherwise at its end, unless a newer row replaces it first. `urgent` (connected, left, gave
   * their name: events that are limited elsewhere and that the grid must not show late) sends at
   * once and drops a row still waiting, which it is newer than.
   */
  throttleUpdate(visitorId: string, send: () => void, opts: { urgent?: boolean } = {}): void {
    if (this.closed) return;
    const entry = this.updates.get(visitorId);
    if (entry && !opts.urgent) {
      entry.pending = send;
      return;
    }
    if (entry) entry.pending = null;
    send();
    if (!entry) this.coolDown(visitorId);
  }

  private coolDown(visitorId: string): void {
    const entry = {
      pending: null as (() => void) | null,
      timer: setTimeout(() => {
        this.updates.delete(visitorId);
        if (entry.pending) this.throttleUpdate(visitorId, entry.pending);
      }, this.updateIntervalMs),
    };
    this.updates.set(visitorId, entry);
  }

  /** Visitors with a page-view write or an update cooling down (what this node holds for them). */
  get size(): { writes: number; updates: number } {
    return { writes: this.writes.size, updates: this.updates.size };
  }

  /** Drops waiting updates and page views (the server is closing). */
  close(): void {
    this.closed = true;
    for (const entry of this.updates.values()) clearTimeout(entry.timer);
    this.updates.clear();
  }
}
