import type { Server as HttpServer } from 'node:http';
import { type Namespace, Server, type Socket } from 'socket.io';
import {
  OPERATOR_NAMESPACE,
  VISITOR_NAMESPACE,
  type OperatorClientToServer,
  type OperatorServerToClient,
  type VisitorClientToServer,
  type VisitorServerToClient,
} from '../../../shared/events';
import type { Role } from '../../../shared/schemas/auth';
import type { Logger } from '../log';

/** What the server keeps on an authenticated operator socket. */
export interface OperatorSocketData {
  accountId: string;
  operatorId: string;
  operatorName: string;
  role: Role;
  sessionId: string;
}

/** What the server keeps on a widget socket (kept small: thousands of idle visitors, #3). */
export interface VisitorSocketData {
  accountId: string;
  visitorId: string;
}

/** What server processes tell each other about widgets (`serverSideEmit`, with the Redis adapter). */
export interface VisitorServerSideEvents {
  /** A node told the account's widgets this availability (`key`, its JSON): the others dedupe against it too (#4). */
  'availability:sent': (accountId: string, key: string) => void;
}

export type OperatorNamespace = Namespace<OperatorClientToServer, OperatorServerToClient, Record<string, never>, OperatorSocketData>;
export type VisitorNamespace = Namespace<VisitorClientToServer, VisitorServerToClient, VisitorServerSideEvents, VisitorSocketData>;

export type OperatorSocket = Socket<OperatorClientToServer, OperatorServerToClient, Record<string, never>, OperatorSocketData>;
export type VisitorSocket = Socket<VisitorClientToServer, VisitorServerToClient, VisitorServerSideEvents, VisitorSocketData>;

export interface Realtime {
  io: Server;
  operators: OperatorNamespace;
  visitors: VisitorNamespace;
  /** Several server processes share the rooms (the Redis adapter): `serverSideEmit` reaches the others. */
  crossNode: boolean;
  /** Disconnects every socket and closes Socket.IO, the HTTP server and the Redis clients. */
  close(): Promise<void>;
}

/**
 * The adapter calls `pubClient.publish()` without handling its promise: with Redis down (and no
 * offline queue) every broadcast would be an unhandled rejection, which ends a Node process.
 * This hands the adapter a client whose publish failures are logged instead (#3).
 */
function safePublisher<C extends object>(client: C, onError: (err: unknown) => void): C {
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === 'publish' && typeof value === 'function') {
        return (...args: unknown[]) => {
          try {
            return Promise.resolve((value as (...a: unknown[]) => Promise<unknown>).apply(target, args)).catch((err: unknown) => (onError(err), 0));
          } catch (err) {
            // Thrown, not rejected (client offline): a broadcast must never throw into the code that emitted it.
            onError(err);
            return Promise.resolve(0);
          }
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** One log line when Redis goes away (not one per failed publish), one when it is back. */
function redisOutageLog(log: Logger) {
  let since: number | null = null;
  return {
    error: (err: unknown) => {
      if (since !== null) return;
      since = Date.now();
      log.error(`Redis unreachable: broadcasts stay on this node until it is back (${err instanceof Error ? err.message : String(err)})`);
    },
    ready: () => {
      if (since === null) return;
      log.warn(`Redis is back after ${Math.round((Date.now() - since) / 100) / 10} s`);
      since = null;
    },
  };
}

/**
 * Creates the Socket.IO server on `http` with the two typed namespaces. Every origin may connect
 * (the widget runs on customers' sites; auth is the token, not cookies). With `redisUrl` the
 * Redis adapter shares rooms and `fetchSockets()` across server processes.
 */
export async function createRealtime(http: HttpServer, opts: { redisUrl?: string; log: Logger }): Promise<Realtime> {
  const io = new Server(http, {
    transports: ['polling', 'websocket'],
    cors: { origin: true, credentials: false },
    // An MV3 service worker is stopped after 30 s without events; a ping every 20 s keeps it alive.
    pingInterval: 20_000,
    pingTimeout: 20_000,
    maxHttpBufferSize: 100_000,
  });

  const redisClients: { quit(): Promise<unknown> }[] = [];
  if (opts.redisUrl) {
    // #3: no offline queue. While Redis is away a broadcast can't reach the other nodes anyway;
    // queued, it would arrive seconds later as a burst of stale events (and a queued PUBSUB
    // NUMSUB would hold every fetchSockets() until Redis is back). Failing at once lets presence
    // fall back to this node, and clients catch up from the database by seq, as after any gap.
    // Loaded only with REDIS_URL: every start of a single node would pay ~0.4 s for them.
    const [{ createAdapter }, { createClient }] = await Promise.all([import('@socket.io/redis-adapter'), import('redis')]);
    const pub = createClient({ url: opts.redisUrl, disableOfflineQueue: true, socket: { reconnectStrategy: (n) => Math.min(100 * 2 ** n, 2_000) } });
    const sub = pub.duplicate({ disableOfflineQueue: false });
    const down = redisOutageLog(opts.log);
    pub.on('error', down.error);
    sub.on('error', down.error);
    pub.on('ready', down.ready);
    await Promise.all([pub.connect(), sub.connect()]);
    // A node that doesn't answer within 2 s is left out of fetchSockets() (presence falls back to this node).
    io.adapter(createAdapter(safePublisher(pub, down.error), sub, { requestsTimeout: 2_000 }));
    redisClients.push(pub, sub);
  }

  return {
    io,
    // One Server serves both namespaces; each gets its own event map here, once.
    operators: io.of(OPERATOR_NAMESPACE) as unknown as OperatorNamespace,
    visitors: io.of(VISITOR_NAMESPACE) as unknown as VisitorNamespace,
    crossNode: redisClients.length > 0,
    close: async () => {
      // Also closes the HTTP server; the caller ends its keep-alive connections.
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
        http.closeAllConnections();
      });
      await Promise.all(redisClients.map((c) => c.quit().catch(() => undefined)));
    },
  };
}
