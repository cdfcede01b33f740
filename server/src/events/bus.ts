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
 * is enqueued as a durable job from a listener or, better, inside the writer's transaction.
 */

// Augmented by each feature's events.ts.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DomainEvents {}

export type DomainEvent = keyof DomainEvents;
type Listener<K extends DomainEvent> = (payload: DomainEvents[K]) => unknown;

export class EventBus {
  private readonly listeners = new Map<DomainEvent, Listener<never>[]>();

  /** `run` is the app's background runner: logs failures, and close() waits for what is in flight. */
  constructor(private readonly run: (label: string, task: () => Promise<unknown>) => void) {}

  on<K extends DomainEvent>(event: K, listener: Listener<K>): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as Listener<never>);
    this.listeners.set(event, list);
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
