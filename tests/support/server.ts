/**
 * A real server per test: createApp on port 0 with a fresh database, plus factories for
 * accounts/operators, login, and real Socket.IO clients for both namespaces.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { createApp, type App, type AppOptions } from '../../server/src/app';
import { DEFAULT_FILES, DEFAULT_LIMITS, DEFAULT_MAIL_FROM, type Config } from '../../server/src/config';
import { createAccountWithAdmin } from '../../server/src/features/accounts/service';
import { insertOperator } from '../../server/src/features/auth/repo';
import { hashPassword } from '../../server/src/access/passwords';
import type { ApiError } from '../../shared/errors';
import {
  OPERATOR_NAMESPACE,
  VISITOR_NAMESPACE,
  type OperatorClientToServer,
  type OperatorServerToClient,
  type VisitorClientToServer,
  type VisitorServerToClient,
  type VisitorSession,
} from '../../shared/events';
import type { LoginResult } from '../../shared/schemas/auth';
import type { VisitorView } from '../../shared/schemas/visitors';
import { freshTestDatabase, type TestDatabase } from './db';

export type OperatorClient = Socket<OperatorServerToClient, OperatorClientToServer>;
export type VisitorClient = Socket<VisitorServerToClient, VisitorClientToServer>;

/** Config for tests: loopback, port 0, quiet unless LOG_LEVEL says otherwise. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: '/nonexistent-test-data-dir',
    databaseUrl: undefined,
    redisUrl: undefined,
    publicUrl: undefined,
    trustProxy: false,
    logLevel: (process.env.LOG_LEVEL as Config['logLevel'] | undefined) ?? 'error',
    limits: { ...DEFAULT_LIMITS },
    files: { ...DEFAULT_FILES },
    mail: { smtpUrl: undefined, from: DEFAULT_MAIL_FROM },
    jobs: { concurrency: 4 },
    ...overrides,
  };
}

export interface TestServer {
  app: App;
  url: string;
  database: TestDatabase;
  /** Closes the app early (the harness does it anyway after the test). */
  close(): Promise<void>;
}

/** Everything a test opened, closed in one go in afterEach. */
export class Harness {
  private readonly closers: (() => Promise<unknown>)[] = [];

  /** Starts an app on a fresh database and listens on a free port. */
  async server(overrides: Partial<Config> = {}, options: AppOptions = {}): Promise<TestServer> {
    const database = await freshTestDatabase();
    // Uploaded files (#5) go to a directory of this server's own, removed with it.
    const filesDir = overrides.files ? undefined : await fs.mkdtemp(path.join(os.tmpdir(), 'sidedesk-test-files-'));
    const config = testConfig({
      ...(database.kind === 'postgres' ? { databaseUrl: database.url } : {}),
      ...(filesDir ? { files: { ...DEFAULT_FILES, dir: filesDir } } : {}),
      ...overrides,
    });
    const app = await createApp(config, { ...(database.kind === 'pglite' ? { pglite: database.pglite } : {}), ...options });
    const { url } = await app.listen(0);
    const server: TestServer = { app, url, database, close: () => app.close() };
    this.closers.push(async () => {
      await app.close();
      await database.drop();
      if (filesDir) await fs.rm(filesDir, { recursive: true, force: true });
    });
    return server;
  }

  /** An account with an admin operator, created directly through the service. */
  async account(server: TestServer, input: { account?: string; email?: string; name?: string; password?: string } = {}) {
    const password = input.password ?? 'correct horse battery';
    const email = input.email ?? `op-${randomUUID().slice(0, 8)}@example.com`;
    const { account, admin } = await createAccountWithAdmin(server.app.ctx.db, {
      account: input.account ?? 'Acme',
      name: input.name ?? 'Olivia Operator',
      email,
      password,
    });
    return { account, admin, email, password };
  }

  /** An account + admin, logged in, with a connected operator socket. */
  async operator(server: TestServer, input: Parameters<Harness['account']>[1] = {}) {
    const created = await this.account(server, input);
    const login = await loginOk(server.url, created.email, created.password);
    const socket = await this.connectOperator(server, login.token);
    return { ...created, login, token: login.token, socket };
  }

  /** Another operator of an existing account (role `operator`), logged in, with a connected socket. */
  async colleague(server: TestServer, accountId: string, name = 'Colin Colleague') {
    const password = 'correct horse battery';
    const email = `agent-${randomUUID().slice(0, 8)}@example.com`;
    const operator = await insertOperator(server.app.ctx.db, accountId, { email, name, role: 'operator', passwordHash: await hashPassword(password) });
    if (!operator) throw new Error('colleague: email taken');
    const login = await loginOk(server.url, email, password);
    return { operator, login, token: login.token, socket: await this.connectOperator(server, login.token) };
  }

  /** An operator socket; resolves once connected (rejects with the connect_error message). */
  connectOperator(server: TestServer, token: string): Promise<OperatorClient> {
    const socket: OperatorClient = io(`${server.url}${OPERATOR_NAMESPACE}`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    this.closers.push(async () => socket.disconnect());
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (err) => reject(err));
    });
  }

  /** A widget socket; resolves with the session once `session:started` arrives. */
  connectVisitor(server: TestServer, accountId: string, visitorToken?: string, extraHeaders?: Record<string, string>) {
    const socket: VisitorClient = io(`${server.url}${VISITOR_NAMESPACE}`, {
      auth: visitorToken ? { accountId, visitorToken } : { accountId },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      ...(extraHeaders ? { extraHeaders } : {}),
    });
    this.closers.push(async () => socket.disconnect());
    return new Promise<{ socket: VisitorClient; session: VisitorSession }>((resolve, reject) => {
      socket.once('session:started', (session) => resolve({ socket, session }));
      socket.once('connect_error', (err) => reject(err));
    });
  }

  async closeAll(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close();
  }
}

/** POST JSON and return status + parsed body. */
export async function api<T = unknown>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

export type ErrorBody = { error: ApiError };

export async function loginOk(url: string, email: string, password: string): Promise<LoginResult> {
  const res = await api<LoginResult>(url, 'POST', '/api/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

type Listen<S> = S extends Socket<infer L, infer _E> ? L : never;
type EventName<S> = keyof Listen<S> & string;
/** The payload of a server-to-client event (its listener's first argument). */
type Payload<S, E extends EventName<S>> = Listen<S>[E] extends (p: infer P) => void ? P : never;
type Emitter = { on(ev: string, fn: (p: unknown) => void): unknown; off(ev: string, fn: (p: unknown) => void): unknown };

/** Resolves with the next `event` on `socket` whose payload satisfies `match`. */
export function waitFor<S extends OperatorClient | VisitorClient, E extends EventName<S>>(
  socket: S,
  event: E,
  match: (payload: Payload<S, E>) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Payload<S, E>> {
  const emitter = socket as unknown as Emitter;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const listener = (payload: unknown) => {
      if (!match(payload as Payload<S, E>)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(payload as Payload<S, E>);
    };
    emitter.on(event, listener);
  });
}

/** Collects every `event` payload on `socket` from now on. */
export function collect<S extends OperatorClient | VisitorClient, E extends EventName<S>>(socket: S, event: E): Payload<S, E>[] {
  const seen: Payload<S, E>[] = [];
  (socket as unknown as Emitter).on(event, (p) => seen.push(p as Payload<S, E>));
  return seen;
}

/** #4: the next visitor row satisfying `match` in a `visitors:updated` frame (one entry per visitor in a frame). */
export async function waitForRow(socket: OperatorClient, match: (v: VisitorView) => boolean = () => true, timeoutMs = 5000): Promise<VisitorView> {
  const frame = await waitFor(socket, 'visitors:updated', (f) => f.visitors.some(match), timeoutMs);
  return frame.visitors.find(match)!;
}

/** #4: every visitor row of the `visitors:updated` frames on `socket` from now on, in order. */
export function collectRows(socket: OperatorClient): VisitorView[] {
  const rows: VisitorView[] = [];
  socket.on('visitors:updated', (f) => rows.push(...f.visitors));
  return rows;
}

export { newClientId } from './chatClient';
