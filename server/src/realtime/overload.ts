import type { RetryAfter } from '../../../shared/reconnect';

/** A Socket.IO namespace middleware: `next()` admits the socket, `next(err)` refuses it. */
type Middleware<S> = (socket: S, next: (err?: Error) => void) => void;

/** An Error whose `data` reaches the client's connect_error (Socket.IO's ExtendedError). */
export function refusal(code: string, data?: object): Error {
  return Object.assign(new Error(code), data ? { data } : {});
}

export interface OverloadOptions {
  /** Handshakes worked on at once: each holds at most one database statement. */
  maxPending: number;
  /** Handshakes waiting for a slot, first come first served; past this, new ones are refused. */
  maxQueued: number;
  /** The wait suggested to a refused client (it adds ±50 % jitter). */
  retryAfterMs: number;
  /** A queued socket whose client went away meanwhile is skipped. */
  isGone: (socket: unknown) => boolean;
}

/**
 * Admission control for handshakes (#4: the reconnect storm), around a namespace's handshake.
 * After a restart every widget reconnects within a few seconds, and each handshake is a database
 * statement. Run all at once they would queue on the database, in front of the messages of the
 * chats already talking, and time out; refused beyond a small number in progress, the clients of
 * a burst would come back later while the server sat idle. So `maxPending` handshakes run at
 * once, the next `maxQueued` wait in memory for a slot (an open socket costs little), and only
 * past that is a new one refused at once with connect_error `overloaded` and `data.retryAfterMs`,
 * after which the client comes back (shared/reconnect.ts).
 */
export function shedOverload<S>(options: OverloadOptions, handshake: Middleware<S>): Middleware<S> & { readonly pending: number; readonly queued: number } {
  let pending = 0;
  const queue: [S, (err?: Error) => void][] = [];
  const retry: RetryAfter = { retryAfterMs: options.retryAfterMs };
  // One error for every refusal: Socket.IO sends only its message and data, and a storm refuses thousands.
  const overloaded = refusal('overloaded', retry);

  const run = (socket: S, next: (err?: Error) => void) => {
    pending++;
    let settled = false;
    handshake(socket, (err) => {
      if (settled) return;
      settled = true;
      pending--;
      next(err);
      startQueued();
    });
  };
  const startQueued = () => {
    while (pending < options.maxPending && queue.length > 0) {
      const [socket, next] = queue.shift()!;
      if (options.isGone(socket)) next(overloaded);
      else run(socket, next);
    }
  };
  const middleware = (socket: S, next: (err?: Error) => void) => {
    if (pending < options.maxPending) return run(socket, next);
    if (queue.length >= options.maxQueued) return next(overloaded);
    queue.push([socket, next]);
  };
  Object.defineProperty(middleware, 'pending', { get: () => pending });
  Object.defineProperty(middleware, 'queued', { get: () => queue.length });
  return middleware as Middleware<S> & { readonly pending: number; readonly queued: number };
}
