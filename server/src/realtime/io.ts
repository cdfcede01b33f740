import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
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

export type OperatorNamespace = Namespace<OperatorClientToServer, OperatorServerToClient, Record<string, never>, OperatorSocketData>;
export type VisitorNamespace = Namespace<VisitorClientToServer, VisitorServerToClient, Record<string, never>, VisitorSocketData>;

export type OperatorSocket = Socket<OperatorClientToServer, OperatorServerToClient, Record<string, never>, OperatorSocketData>;
export type VisitorSocket = Socket<VisitorClientToServer, VisitorServerToClient, Record<string, never>, VisitorSocketData>;

export interface Realtime {
  io: Server;
  operators: OperatorNamespace;
  visitors: VisitorNamespace;
  /** Disconnects every socket and closes Socket.IO, the HTTP server and the Redis clients. */
  close(): Promise<void>;
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
    const pub = createClient({ url: opts.redisUrl });
    const sub = pub.duplicate();
    for (const c of [pub, sub]) c.on('error', (err: unknown) => opts.log.error('Redis', err));
    await Promise.all([pub.connect(), sub.connect()]);
    // A node that doesn't answer within 2 s is left out of fetchSockets() (presence falls back to this node).
    io.adapter(createAdapter(pub, sub, { requestsTimeout: 2_000 }));
    redisClients.push(pub, sub);
  }

  return {
    io,
    // One Server serves both namespaces; each gets its own event map here, once.
    operators: io.of(OPERATOR_NAMESPACE) as unknown as OperatorNamespace,
    visitors: io.of(VISITOR_NAMESPACE) as unknown as VisitorNamespace,
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
