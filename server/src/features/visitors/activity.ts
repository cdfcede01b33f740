import { AppError } from '../../../../shared/errors';
import type { VisitorRemovalView, VisitorsChangedView, VisitorView } from '../../../../shared/schemas/visitors';

/** How often the operators may hear of one visitor's page views, at most. */
export const VISITOR_UPDATE_INTERVAL_MS = 1_000;

/**
 * How often one account's operators get a `visitors:updated` frame from this node, at most (#4).
 * A change to a quiet account goes out on the next turn of the event loop; changes in the next
 * 50 ms wait and go out together. After a restart an account's visitors reconnect over seconds, so
 * its operators get twenty frames a second instead of one event per visitor each; and a busy
 * account's page view waits 25 ms on average, 50 at most, of the grid's update-to-paint budget
 * (100 ms at p95, tests/bench/grid.ts: at 100 ms the wait alone took the p95 past it).
 */
export const VISITOR_BATCH_MS = 50;

/** An account's changes waiting for its next frame; `cancel` stops the frame on its way, or the cool-down after one. */
interface AccountBatch {
  changes: Map<string, VisitorView | VisitorRemovalView>;
  cancel: () => void;
}

const isRemoval = (change: VisitorView | VisitorRemovalView | undefined): change is VisitorRemovalView => !!change && !('id' in change);

interface Pending<T> {
  run: () => Promise<T>;
  waiters: { resolve: (value: T) => void; reject: (err: unknown) => void }[];
}

/**
 * At most one task in flight per key. A task asked for meanwhile waits for it, and a newer one
 * replaces the waiting one: every caller waiting settles with the task that finally runs, which
 * started after they asked (never with one that was already running: it may be older than them).
 */
class Coalescer<T> {
  private readonly slots = new Map<string, { pending: Pending<T> | null }>();
  private closed = false;

  /** `superseded`: what callers still waiting get when closing (their task never runs). */
  constructor(private readonly superseded: () => T) {}

  run(key: string, task: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key);
    if (!slot) {
      const fresh = { pending: null };
      this.slots.set(key, fresh);
      return this.start(key, fresh, task);
    }
    return new Promise<T>((resolve, reject) => {
      slot.pending ??= { run: task, waiters: [] };
      slot.pending.run = task;
      slot.pending.waiters.push({ resolve, reject });
    });
  }

  private start(key: string, slot: { pending: Pending<T> | null }, task: () => Promise<T>): Promise<T> {
    const running = Promise.resolve().then(task);
    const next = () => {
      const pending = slot.pending;
      slot.pending = null;
      if (!pending) return void this.slots.delete(key);
      if (this.closed) {
        for (const w of pending.waiters) {
          try {
            w.resolve(this.superseded());
          } catch (err) {
            w.reject(err);
          }
        }
        return;
      }
      this.start(key, slot, pending.run).then(
        (value) => pending.waiters.forEach((w) => w.resolve(value)),
        (err: unknown) => pending.waiters.forEach((w) => w.reject(err)),
      );
    };
    running.then(next, next);
    return running;
  }

  get size(): number {
    return this.slots.size;
  }

  close(): void {
    this.closed = true;
  }
}

/**
 * #4: what one visitor's activity may cost this node and the operators, whatever its rate.
 * `page:view` at 1,000/s was a database write and a grid update to every operator each.
 * Now a visitor has at most one page-view write in flight; page views arriving meanwhile wait,
 * and each newer one replaces the waiting one (the grid shows the current page, not history).
 * The operators hear of a visitor's page views at most once a second: the first at once, the
 * latest of the following ones at the end of the second. And they hear of an account's visitors
 * in frames (`visitors:updated`), at most one per VISITOR_BATCH_MS from this node: after a restart
 * every visitor reconnecting was an event to every operator of the account.
 */
export class VisitorActivity {
  // Shutting down: the waiting page views are superseded by the end of the connection, and a
  // grid still waiting would be answered to a socket that is closing.
  private readonly writes = new Coalescer<void>(() => undefined);
  private readonly grids = new Coalescer<VisitorView[]>(() => {
    throw new AppError('overloaded', 'The server is restarting.');
  });
  private readonly updates = new Map<string, { timer: NodeJS.Timeout; pending: VisitorView | null }>();
  private readonly batches = new Map<string, AccountBatch>();
  private closed = false;
  private readonly updateIntervalMs: number;
  private readonly batchMs: number;

  /** `send`: one account's frame to its operators (every node's sockets: a room emit). */
  constructor(
    private readonly send: (accountId: string, frame: VisitorsChangedView) => void,
    opts: { updateIntervalMs?: number; batchMs?: number } = {},
  ) {
    this.updateIntervalMs = opts.updateIntervalMs ?? VISITOR_UPDATE_INTERVAL_MS;
    this.batchMs = opts.batchMs ?? VISITOR_BATCH_MS;
  }

  /**
   * Runs `write` for `visitorId` now if none of theirs is running; otherwise after it, unless a
   * newer write replaces it first. A replaced write's callers settle with the write that replaced it.
   */
  coalesce(visitorId: string, write: () => Promise<void>): Promise<void> {
    return this.writes.run(visitorId, write);
  }

  /**
   * `visitor:list`: the account's grid, built by `build` (#4). After a restart an account's
   * operators reconnect together and each asks for the grid: one build in flight per account, and
   * the requests arriving meanwhile share the next one (which starts after they asked, so no
   * operator gets a list older than their request). The list is the account's, the same for each
   * of its operators: nothing of it depends on who asks.
   */
  grid(accountId: string, build: () => Promise<VisitorView[]>): Promise<VisitorView[]> {
    return this.grids.run(accountId, build);
  }

  /**
   * A visitor's row changed: into their account's next frame at once if nothing of theirs went in
   * within the interval, otherwise at its end, unless a newer row replaces it first. `urgent`
   * (connected, left, gave their name, invited: events that are limited elsewhere and that the
   * grid must not show late) goes in at once and drops a row still waiting, which it is newer than.
   */
  updateRow(accountId: string, view: VisitorView, opts: { urgent?: boolean } = {}): void {
    if (this.closed) return;
    const entry = this.updates.get(view.id);
    if (entry && !opts.urgent) {
      entry.pending = view;
      return;
    }
    if (entry) entry.pending = null;
    this.enqueue(accountId, view.id, view);
    if (!entry) this.coolDown(accountId, view.id);
  }

  /** An admin forgot the visitor: into the account's next frame; a row of theirs still waiting is dropped. */
  removeVisitor(accountId: string, removal: VisitorRemovalView): void {
    if (this.closed) return;
    const entry = this.updates.get(removal.visitorId);
    if (entry) entry.pending = null;
    this.enqueue(accountId, removal.visitorId, removal);
  }

  private coolDown(accountId: string, visitorId: string): void {
    const entry = {
      pending: null as VisitorView | null,
      timer: setTimeout(() => {
        this.updates.delete(visitorId);
        if (entry.pending) this.updateRow(accountId, entry.pending);
      }, this.updateIntervalMs),
    };
    this.updates.set(visitorId, entry);
  }

  /**
   * One entry per visitor in the account's next frame, the latest winning; a removal stays (a
   * row read before the delete may still arrive after it). The first change of a quiet account is
   * sent on the next turn of the event loop (with whatever else that turn changed); then the
   * account cools down for the batch interval, and what changed meanwhile goes at its end.
   */
  private enqueue(accountId: string, visitorId: string, change: VisitorView | VisitorRemovalView): void {
    let batch = this.batches.get(accountId);
    if (!batch) {
      const fresh: AccountBatch = { changes: new Map(), cancel: () => clearImmediate(immediate) };
      const immediate = setImmediate(() => this.flush(accountId, fresh));
      this.batches.set(accountId, (batch = fresh));
    }
    if (isRemoval(batch.changes.get(visitorId))) return;
    batch.changes.set(visitorId, change);
  }

  private flush(accountId: string, batch: AccountBatch): void {
    if (!batch.changes.size) {
      this.batches.delete(accountId);
      return;
    }
    const frame: VisitorsChangedView = { visitors: [], removed: [] };
    for (const change of batch.changes.values()) {
      if (isRemoval(change)) frame.removed.push(change);
      else frame.visitors.push(change);
    }
    batch.changes = new Map();
    const timer = setTimeout(() => this.flush(accountId, batch), this.batchMs);
    batch.cancel = () => clearTimeout(timer);
    this.send(accountId, frame);
  }

  /** Visitors with a page-view write or an update cooling down, accounts with a frame on its way or cooling down (what this node holds). */
  get size(): { writes: number; updates: number; accounts: number } {
    return { writes: this.writes.size, updates: this.updates.size, accounts: this.batches.size };
  }

  /** Drops waiting updates, frames and page views (the server is closing). */
  close(): void {
    this.closed = true;
    this.writes.close();
    this.grids.close();
    for (const entry of this.updates.values()) clearTimeout(entry.timer);
    this.updates.clear();
    for (const batch of this.batches.values()) batch.cancel();
    this.batches.clear();
  }
}
