import type { RetryAfter } from '../../../shared/reconnect';

/** A Socket.IO namespace middleware: `next()` admits the socket, `next(err)` refuses it. */
type Middleware<S> = (socket: S, next: (err?: Error) => void) => void;

/** An Error whose `data` reaches the client's connect_error (Socket.IO's ExtendedError). */
export function refusal(code: string, data?: object): Error {
  return Object.assign(new Error(code), data ? { data } : {});
}

export interface OverloadOptions {
  /** Handshakes this node works on at once; beyond it, new ones are refused with a retry-after. */
  maxPending: number;
  /** The wait suggested to a refused client (it adds ±50 % jitter). */
  retryAfterMs: number;
}

/**
 * Admission control for handshakes (#4: the reconnect storm), around a namespace's handshake. After a restart every widget
 * reconnects within a few seconds; each handshake is a database statement, and queued without
 * bound they would hold up the chats that are already talking (their messages wait behind
 * thousands of handshakes on the database) and time out. Past `maxPending` handshakes in progress
 * a new one is refused at once with connect_error `overloaded` and `data.retryAfterMs`: cheap for
 * the server, and the client comes back a moment later (shared/reconnect.ts).
 */
export function shedOverload<S>(options: OverloadOptions, handshake: Middleware<S>): Middleware<S> & { readonly pending: number } {
  let pending = 0;
  const retry: RetryAfter = { retryAfterMs: options.retryAfterMs };
  const middleware = (socket: S, next: (err?: Error) => void) => {
    if (pending >= options.maxPending) return next(refusal('overloaded', retry));
    pending++;
    let settled = false;
    handshake(socket, (err) => {
      if (settled) return;
      settled = true;
      pending--;
      next(err);
    });
  };
  return Object.defineProperty(middleware, 'pending', { get: () => pending }) as Middleware<S> & { readonly pending: number };
}
