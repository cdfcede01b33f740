/**
 * The `/visitor` Socket.IO connection, typed by the shared contract and wrapped as the
 * controller's {@link Transport}. WebSocket first; long-polling only if WebSocket fails
 * (proxies that block upgrades).
 */
import { io, type Socket } from 'socket.io-client';
import type { VisitorAuth, VisitorClientToServer, VisitorServerToClient } from '../../shared/events';
import { VISITOR_NAMESPACE } from '../../shared/events/namespaces';
import { retryDelay, WIDGET_RECONNECT, type RetryAfter } from '../../shared/reconnect';
import type { Transport } from './chat/controller';

/** How long a command waits for its ack before it counts as failed (and is retried later). */
export const ACK_TIMEOUT_MS = 10_000;

export interface ConnectOptions {
  /**
   * The server refused this site (#4: `origin_not_allowed`): the widget can't run here until an
   * admin allows it, so the connection has stopped for good. `message` says why, for the console.
   */
  onRefused?: (message: string) => void;
}

export function connect(server: string, auth: () => VisitorAuth, options: ConnectOptions = {}): Transport {
  const socket: Socket<VisitorServerToClient, VisitorClientToServer> = io(server + VISITOR_NAMESPACE, {
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    // A function, so every reconnect sends the token we hold now (it may have been replaced).
    auth: (cb) => cb(auth() as unknown as Record<string, unknown>),
    // Jittered, short backoff: after a server restart every widget comes back within seconds (#4).
    ...WIDGET_RECONNECT,
  });
  let retry = 2000;
  socket.on('connect', () => (retry = 2000));
  socket.on('disconnect', (reason) => {
    // The server ended this connection on purpose (#4: an admin forgot this visitor). Socket.IO
    // won't come back by itself; we do, after a moment, as whoever the server then says we are.
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1000 + Math.random() * 2000);
  });
  socket.on('connect_error', (err: Error & { data?: Partial<RetryAfter> & { message?: unknown } }) => {
    if (err.message === 'origin_not_allowed') {
      // #4: retrying can't help until an admin adds this site; say so once and stop.
      socket.disconnect();
      const message = typeof err.data?.message === 'string' ? err.data.message : `This site (${location.origin}) is not allowed to run this chat widget.`;
      options.onRefused?.(message);
      return;
    }
    if (socket.active) return; // a transport failure: Socket.IO retries by itself
    // Refused by the server's middleware: Socket.IO gives up; we don't. A server shedding load
    // says when to come back (#4); otherwise we slow down.
    const wait = typeof err.data?.retryAfterMs === 'number' ? retryDelay(err.data.retryAfterMs) : (retry = Math.min(retry * 2, 60_000));
    setTimeout(() => socket.connect(), wait);
  });
  return {
    get connected() {
      return socket.connected;
    },
    on: (event, fn) => void socket.on(event, fn as never),
    onDisconnect: (fn) => void socket.on('disconnect', fn),
    request: (event, payload) =>
      socket.connected
        ? (socket.timeout(ACK_TIMEOUT_MS).emitWithAck as (e: string, p: unknown) => Promise<never>)(event, payload)
        : Promise.reject(new Error('not connected')),
  };
}
