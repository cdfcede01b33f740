import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { proxyTrust, type TrustProxy } from './http/proxy';

/** Repository root (server/src/config.ts → ../..): static files are found relative to it. */
export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const TRUST_PROXY_TRUE =
  '`true` would take the visitor address from the leftmost X-Forwarded-For entry, which any client can write. ' +
  'Write how many proxies are in front of Sidedesk (TRUST_PROXY=1 behind one nginx) or their addresses (TRUST_PROXY=127.0.0.1 or TRUST_PROXY=10.0.0.0/8,loopback)';

/** Per-address limits that depend on the site's audience, so they are settings (#4). 0 = off. */
export interface LimitsConfig {
  /** Widget connections open at once from one address (IPv6 /64), on each node. */
  visitorConnectionsPerAddress: number;
  /** New visitors one address may create per 10 minutes (shared by all nodes with REDIS_URL). */
  newVisitorsPerAddress: number;
  /** Multiplies every socket command limit (limits/commands.ts): load tests, unusual clients. */
  commandScale: number;
  /**
   * #4: widget handshakes one node works on at once and how many more wait for a slot (past
   * that: `overloaded` with a retry-after). Not a setting; tests make them small. Default in
   * features/visitors/handlers.ts.
   */
  handshakes?: { atOnce: number; queued: number };
}

export const DEFAULT_LIMITS: LimitsConfig = {
  visitorConnectionsPerAddress: 500,
  newVisitorsPerAddress: 200,
  commandScale: 1,
};

/** Files sent in chats (#5). */
export interface FilesConfig {
  /** Where uploads are stored (`<dir>/<account>/<file id>`); undefined: `<DATA_DIR>/files`. Several nodes need one shared directory. */
  dir: string | undefined;
  /** The largest upload any account may allow (FILES_MAX_BYTES); an account's own limit defaults to 10 MB. */
  maxBytes: number;
}

export const DEFAULT_FILES: FilesConfig = { dir: undefined, maxBytes: 25 * 1024 * 1024 };
export const DEFAULT_MAIL_FROM = 'Sidedesk <no-reply@localhost>';

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

/** A count setting: unset or empty → `fallback`; 0 turns the limit off. */
const limitSetting = (fallback: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.coerce.number().int().min(0).default(fallback));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to bind; unset means all interfaces. */
  HOST: optionalString,
  /** Embedded database (PGlite) and its lock file live here when DATABASE_URL is unset. */
  DATA_DIR: z.string().trim().min(1).default('./data'),
  /** PostgreSQL connection string; when set, PGlite is not used. */
  DATABASE_URL: optionalString,
  /** Redis for the Socket.IO adapter so several server processes share rooms (Q4). */
  REDIS_URL: optionalString,
  /** How the outside world reaches this server (for printed links); defaults to http://localhost:PORT. */
  PUBLIC_URL: optionalString,
  /**
   * Behind a reverse proxy (#4): the number of proxies in front of the server (`1` behind one
   * nginx), or their addresses / CIDRs, comma-separated (`10.0.0.5, 10.1.0.0/16`, or `loopback`,
   * `linklocal`, `uniquelocal`). Unset, `false` or `0`: the socket's own address is the client.
   * `true` is refused: it would trust the leftmost X-Forwarded-For entry, which the client writes.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx): TrustProxy => {
      if (v === undefined || v === '' || v.toLowerCase() === 'false' || v === '0') return false;
      if (/^\d+$/.test(v)) return Number(v);
      if (v.toLowerCase() === 'true') {
        ctx.addIssue({ code: 'custom', message: TRUST_PROXY_TRUE });
        return z.NEVER;
      }
      const proxies = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      try {
        proxyTrust(proxies);
        return proxies;
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `${(err as Error).message}; expected a number of proxy hops or proxy addresses/CIDRs, comma-separated` });
        return z.NEVER;
      }
    }),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /**
   * #4: widget connections open at once from one address (IPv6: one /64), on each node. An office
   * behind one NAT is many visitors, each with a few tabs. 0 = no limit.
   */
  VISITOR_CONNECTIONS_PER_ADDRESS: limitSetting(DEFAULT_LIMITS.visitorConnectionsPerAddress),
  /**
   * #4: brand-new visitors (a widget without a valid visitor token) one address may create per
   * 10 minutes, counted across nodes with REDIS_URL. 0 = no limit.
   */
  NEW_VISITORS_PER_ADDRESS: limitSetting(DEFAULT_LIMITS.newVisitorsPerAddress),
  /**
   * #4: multiplies every per-command rate limit of the sockets (page views, messages, syncs…).
   * The defaults fit the widget and the extension; raise it for load tests or clients that
   * pipeline hundreds of messages a second.
   */
  COMMAND_LIMITS_SCALE: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce.number().positive().default(DEFAULT_LIMITS.commandScale),
  ),
  /** #5: where files sent in chats are stored; default `<DATA_DIR>/files`. */
  FILES_DIR: optionalString,
  /** #5: the largest upload an admin may allow, in bytes (each account's own limit defaults to 10 MB). */
  FILES_MAX_BYTES: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce
      .number()
      .int()
      .min(1)
      .max(2 ** 31 - 1)
      .default(DEFAULT_FILES.maxBytes),
  ),
  /**
   * #5: where mail goes (`smtp://user:pass@host:587`, `smtps://…:465`; nodemailer URL options in
   * the query). Unset: mail is kept in the database's outbox, which admins read.
   */
  SMTP_URL: optionalString.refine((v) => v === undefined || /^smtps?:\/\/[^/]/i.test(v), 'expected smtp://… or smtps://…'),
  /** #5: the From of every mail: `Name <address>` or an address. */
  MAIL_FROM: optionalString
    .transform((v) => v ?? DEFAULT_MAIL_FROM)
    .refine(
      (v) => /^(?:[^<>\r\n]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/.test(v),
      'expected an address, or a name and an address: Sidedesk <no-reply@example.com>',
    ),
  /** #5: durable jobs (mail…) this process runs at once; 0 = it runs none (other nodes do), it still enqueues. */
  JOB_CONCURRENCY: limitSetting(4),
});

/** Every environment variable the server reads: the README's configuration table lists each (tests/unit/server/config.test.ts). */
export const ENV_VARIABLES = Object.keys(envSchema.shape);

export interface Config {
  port: number;
  host: string | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  publicUrl: string | undefined;
  trustProxy: TrustProxy;
  logLevel: LogLevel;
  limits: LimitsConfig;
  files: FilesConfig;
  /** #5: SMTP server (unset: the database outbox) and the From address. */
  mail: { smtpUrl: string | undefined; from: string };
  /** #5: jobs run at once on this node (0: none). */
  jobs: { concurrency: number };
}

/** Parses the environment once; throws a readable error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    limits: {
      visitorConnectionsPerAddress: e.VISITOR_CONNECTIONS_PER_ADDRESS,
      newVisitorsPerAddress: e.NEW_VISITORS_PER_ADDRESS,
      commandScale: e.COMMAND_LIMITS_SCALE,
    },
    files: { dir: e.FILES_DIR && path.resolve(e.FILES_DIR), maxBytes: e.FILES_MAX_BYTES },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    jobs: { concurrency: e.JOB_CONCURRENCY },
  };
}
