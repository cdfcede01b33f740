/**
 * The in-process event bus (#5): how one feature reacts to another's changes without importing
 * its service. A feature declares its events by augmenting {@link DomainEvents} in its own
 * `events.ts`:
 *
 *   declare module '../../events/bus' { interface DomainEvents { 'chat.started': { … } } }
 *
 * and publishes them **after commit** — once the write they describe is durable, never inside a
 * transaction that could still roll back. Listeners run after the publisher's command has been
 * answered, each on its own (`ctx.background`): a failing listener is logged and never fails the
 * command or another listener. Work that must not be lost if the process dies (mail, webhooks)
 * is enqueued as a durable job from a listener or, better, inside the writer's transaction:
 * `inTransaction` listeners (P9, #6) run inside the writer's transaction when it calls `record`,
 * and may only write in it (enqueue a job with `{ tx }`), so their work exists if and only if the
 * change commits — a crash between the commit and the after-commit listeners loses nothing.
 */
import type { Db } from '../db/client';

// Augmented by each feature's events.ts.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DomainEvents {}

export type DomainEvent = keyof DomainEvents;
type Listener<K extends DomainEvent> = (payload: DomainEvents[K]) => unknown;
type TxListener<K extends DomainEvent> = (payload: DomainEvents[K], tx: Db) => Promise<unknown>;

export class EventBus {
  private readonly listeners = new Map<DomainEvent, Listener<never>[]>();
  private readonly txListeners = new Map<DomainEvent, TxListener<never>[]>();

  /** `run` is the app's background runner: logs failures, and close() waits for what is in flight. */
  constructor(private readonly run: (label: string, task: () => Promise<unknown>) => void) {}

  on<K extends DomainEvent>(event: K, listener: Listener<K>): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as Listener<never>);
    this.listeners.set(event, list);
  }

  /**
   * A listener that runs inside the writer's transaction (see {@link record}): it must only write
   * in `tx` (enqueue a durable job), never talk to sockets or call out: the change may still roll back.
   */
  inTransaction<K extends DomainEvent>(event: K, listener: TxListener<K>): void {
    const list = this.txListeners.get(event) ?? [];
    list.push(listener as TxListener<never>);
    this.txListeners.set(event, list);
  }

  /**
   * Call inside the transaction of the change: runs the event's `inTransaction` listeners in it,
   * one after the other (a failure rolls the change back). Publish the event after commit as well.
   */
  async record<K extends DomainEvent>(tx: Db, event: K, payload: DomainEvents[K]): Promise<void> {
    for (const listener of this.txListeners.get(event) ?? []) await (listener as TxListener<K>)(payload, tx);
  }

  /** Call only after the change is committed. Returns at once; listeners run on their own. */
  publish<K extends DomainEvent>(event: K, payload: DomainEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      this.run(event, async () => {
        // Not inside the publisher's own turn: its command is answered first.
        await new Promise<void>((resolve) => setImmediate(resolve));
        return (listener as Listener<K>)(payload);
      });
    }
  }
}
