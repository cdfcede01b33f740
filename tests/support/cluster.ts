/**
 * Process-level helpers for the fault and multi-node tests and the bench: fresh PostgreSQL
 * databases, a private Redis we may kill, first-run setup and login against spawned servers.
 * Everything stays on loopback.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { io } from 'socket.io-client';
import { OPERATOR_NAMESPACE } from '../../shared/events';
import type { Role } from '../../shared/schemas/auth';
import { hashPassword } from '../../server/src/access/passwords';
import { openDatabase, type Database } from '../../server/src/db/client';
import { setupFirstAccount } from '../../server/src/features/accounts/service';
import { insertOperator } from '../../server/src/features/auth/repo';
import { seededDataDir } from './db';
import { freePort, startServerProcess, type ServerProcess } from './process';
import { loginOk, type OperatorClient } from './server';

/** The PostgreSQL server to create throwaway databases on: DATABASE_URL's server, else the local one. */
export function pgServerUrl(): string {
  const u = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
  u.pathname = '/postgres';
  return u.toString();
}

export async function pgReachable(url = pgServerUrl()): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

let dbCounter = 0;
/**
 * A new empty database on the PostgreSQL server (spawned servers migrate it), so tests that run
 * in parallel never share one; `drop()` removes it.
 */
export async function freshDatabase(prefix = 'sidedesk_t', admin = pgServerUrl()): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  dbCounter += 1;
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${dbCounter}`.toLowerCase();
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await run(`CREATE DATABASE ${name}`);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return { url: u.toString(), name, drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** A temporary PGlite data dir, removed by `remove()`. */
export function tempDataDir(prefix = 'sidedesk-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

export interface RedisProcess {
  url: string;
  port: number;
  /** Kill it (SIGKILL by default: an outage, not a shutdown). */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  /** Start it again on the same port (empty: we run it without persistence). */
  start: () => Promise<void>;
}

/**
 * A private redis-server on a random port. The machine's Redis on 6379 is shared with other work,
 * so outages are simulated on our own instance only.
 */
export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() !== 'PONG') {
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop: async (signal = 'SIGKILL') => {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill(signal);
      await exited;
    },
  };
}

export interface AccountLogin {
  accountId: string;
  email: string;
  password: string;
}

/**
 * First-run setup on the database `env` points at, in this process: what `npm run setup` does
 * (its own tests run the CLI), without a process start that cost ~5 s a test.
 */
export async function setupAccount(env: NodeJS.ProcessEnv, account = 'Acme'): Promise<AccountLogin> {
  const email = 'admin@example.com';
  const password = 'correct-horse-1';
  const database = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.DATA_DIR! });
  try {
    await database.migrate();
    const created = await setupFirstAccount(database.db, { account, email, password });
    return { accountId: created.account.id, email, password };
  } finally {
    await database.close();
  }
}

/** POST /api/auth/login → the operator's bearer token (also the socket auth). */
export async function login(url: string, email: string, password: string): Promise<string> {
  return (await loginOk(url, email, password)).token;
}

/** Polls `check` until it returns true; fails with `what` (and the last state) after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// ── A Sidedesk server as a process, on PGlite or PostgreSQL ─────────────────────────────────

export interface Backend {
  label: 'pglite' | 'postgres';
  /** DATA_DIR or DATABASE_URL for the server processes (several share a PostgreSQL database). */
  env: NodeJS.ProcessEnv;
  cleanup: () => Promise<void>;
}

export async function pgliteBackend(): Promise<Backend> {
  const tmp = tempDataDir('sidedesk-fault-');
  await seededDataDir(tmp.dir); // already migrated: skips PGlite's slow first start
  return { label: 'pglite', env: { DATA_DIR: tmp.dir, DATABASE_URL: '', REDIS_URL: '' }, cleanup: async () => tmp.remove() };
}

export async function postgresBackend(): Promise<Backend> {
  const db = await freshDatabase('sidedesk_fault');
  const tmp = tempDataDir('sidedesk-fault-pg-');
  return {
    label: 'postgres',
    env: { DATABASE_URL: db.url, DATA_DIR: tmp.dir, REDIS_URL: '' },
    cleanup: async () => {
      await db.drop();
      tmp.remove();
    },
  };
}

export interface SidedeskNode {
  readonly url: string;
  readonly port: number;
  process: ServerProcess;
  /** kill -9: no graceful shutdown, nothing flushed. */
  crash: () => Promise<void>;
  /** Start again on the same port and data (after a crash or stop). */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
}

/** Starts `npm run serve` as a child process on `backend` (plus `env`), optionally on a fixed port. */
export async function startNode(backend: Backend, env: NodeJS.ProcessEnv = {}, port?: number): Promise<SidedeskNode> {
  const fullEnv = { ...backend.env, LOG_LEVEL: 'warn', ...env };
  let proc = await startServerProcess(fullEnv, port);
  const node: SidedeskNode = {
    url: proc.url,
    port: proc.port,
    get process() {
      return proc;
    },
    set process(p) {
      proc = p;
    },
    crash: () => proc.stop('SIGKILL'),
    restart: async () => {
      proc = await startServerProcess(fullEnv, node.port);
    },
    stop: () => proc.stop('SIGTERM'),
  };
  return node;
}

/** One server process on a fresh PGlite data dir, with an account and its admin logged in. */
export interface SingleNode {
  backend: Backend;
  node: SidedeskNode;
  accountId: string;
  /** The admin's bearer token. */
  token: string;
  stop(): Promise<void>;
}

/**
 * The database of this test pass (CI runs the suite twice): PostgreSQL when DATABASE_URL is set,
 * else a PGlite data dir. Process-level tests run once per pass on it, never twice on the same one.
 */
export const passBackend = (): Promise<Backend> => (process.env.DATABASE_URL ? postgresBackend() : pgliteBackend());
export const passLabel = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';

/**
 * Why the multi-node tests skip here, or '' when they run: they always use PostgreSQL (each node a
 * process on one database) and a redis-server of their own, so only the PostgreSQL pass runs them.
 */
export async function multiNodeSkipReason(): Promise<string> {
  if (!process.env.DATABASE_URL) return 'the PostgreSQL pass runs it (DATABASE_URL)';
  if (!(await pgReachable())) return 'PostgreSQL not reachable on loopback';
  return hasRedisServer ? '' : 'redis-server not installed';
}

export async function startSingleNode(): Promise<SingleNode> {
  const backend = await passBackend();
  const account = await setupAccount(backend.env);
  const node = await startNode(backend);
  const token = await login(node.url, account.email, account.password);
  return {
    backend,
    node,
    accountId: account.accountId,
    token,
    stop: async () => {
      await node.stop();
      await backend.cleanup();
    },
  };
}

/** Two nodes on one fresh PostgreSQL database, rooms shared through a private redis-server (the multi-node tests). */
export interface TwoNodes {
  a: SidedeskNode;
  b: SidedeskNode;
  backend: Backend;
  /** The nodes' database, for what a test sets up directly. */
  database: Database;
  /** Sockets the test opened (`panel`, and any it adds): disconnected by `stop`. */
  sockets: { disconnect(): unknown }[];
  /** An operator's panel socket on the node at `url`; resolves once connected. */
  panel(url: string, token: string): Promise<OperatorClient>;
  /** A member of the account with `role` (email `<role or name>@example.com`), signed in with a panel socket on `url`. */
  member(accountId: string, name: string, role: Role, url: string, email?: string): Promise<{ id: string; name: string; socket: OperatorClient }>;
  stop(): Promise<void>;
}

export async function startTwoNodes(): Promise<TwoNodes> {
  const redis = await startRedis();
  const backend = await postgresBackend();
  const [a, b] = await Promise.all([startNode(backend, { REDIS_URL: redis.url }), startNode(backend, { REDIS_URL: redis.url })]);
  const database = await openDatabase({ url: backend.env.DATABASE_URL! });
  const sockets: { disconnect(): unknown }[] = [];
  const panel = (url: string, token: string): Promise<OperatorClient> => {
    const socket: OperatorClient = io(`${url}${OPERATOR_NAMESPACE}`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  };
  return {
    a,
    b,
    backend,
    database,
    sockets,
    panel,
    async member(accountId, name, role, url, email = `${role}@example.com`) {
      const password = 'correct horse battery';
      const row = await insertOperator(database.db, accountId, { email, name, role, passwordHash: await hashPassword(password) });
      if (!row) throw new Error('member: email taken');
      return { id: row.id, name, socket: await panel(url, await login(url, email, password)) };
    },
    async stop() {
      for (const s of sockets) s.disconnect();
      await database.close();
      await Promise.all([a.stop(), b.stop()]);
      await redis.stop();
      await backend.cleanup();
    },
  };
}
