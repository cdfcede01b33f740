import http from 'node:http';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import express, { type RequestHandler } from 'express';
import { systemClock, type Clock } from './clock';
import { ROOT_DIR, type Config } from './config';
import type { AppContext } from './context';
import { openDatabase, type Database } from './db/client';
import { scheduleMaintenance, type MaintenanceSchedule } from './db/maintenance';
import { getOrCreateSecret } from './db/secrets';
import { AccountCache } from './features/accounts/cache';
import { MessageWriter } from './features/chats/messageWriter';
import { VisitorConnector } from './features/visitors/connector';
import { FileUrls } from './features/files/urls';
import { siteRoutes, type SitePaths } from './features/site/routes';
import { features } from './features/index';
import { VisitorActivity } from './features/visitors/activity';
import { VisitorTokens } from './features/visitors/token';
import { EventBus } from './events/bus';
import { JobRunner } from './jobs/runner';
import { apiNotFound, errorMiddleware } from './http/errors';
import { baseHeaders } from './http/headers';
import { proxyTrust } from './http/proxy';
import { createLimits } from './limits/index';
import { createLogger, type AppLogger, type LoggerOptions } from './log';
import { createRealtime } from './realtime/io';
import { attachNamespaces } from './realtime/namespaces';
import { rooms } from './realtime/rooms';
import { makeWithAck } from './realtime/withAck';

/** Connections the kernel may hold for us before we accept them (see listen() below). */
const LISTEN_BACKLOG = 8192;

export interface AppOptions {
  /** Use this PGlite instead of DATA_DIR / DATABASE_URL (tests: a clone of a migrated database). */
  pglite?: PGlite;
  /** Override where the widget build and demo pages are read from. */
  paths?: Partial<SitePaths>;
  /** Where log lines go and how repeats are folded (tests capture them). */
  log?: LoggerOptions;
  /** The clock of waiting rules and due jobs (#6: tests pass an OffsetClock they move on). */
  clock?: Clock;
  /** When the embedded database is vacuumed and analysed (db/maintenance.ts); tests shorten it. */
  maintenance?: MaintenanceSchedule;
}

export interface App {
  ctx: AppContext;
  database: Database;
  /** Starts listening (port 0 = any free port) and tells where. */
  listen(port?: number): Promise<{ url: string; port: number }>;
  /** Disconnects clients, commits queued messages, closes the database and releases the data-dir lock. */
  close(): Promise<void>;
}

/** Reflects the caller's origin on /api so a web app on another origin can call it with a bearer token (no cookies). */
const apiCors: RequestHandler = (req, res, next) => {
  const origin = req.get('origin');
  if (origin) {
    res.set({
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Access-Control-Max-Age': '600',
    });
    res.vary('Origin');
  }
  if (req.method === 'OPTIONS') return void res.sendStatus(204);
  next();
};

/**
 * Builds the whole server (HTTP routes, Socket.IO namespaces, database, message writer) without
 * listening. Opens the database (taking the data-dir lock for PGlite) and applies migrations.
 */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = createLogger(config.logLevel, options.log);
  const database = await openDatabase(
    options.pglite ? { pglite: options.pglite } : config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir },
    log,
  );
  try {
    return await build(config, options, database, log);
  } catch (err) {
    await database.close();
    throw err;
  }
}

async function build(config: Config, options: AppOptions, database: Database, log: AppLogger): Promise<App> {
  await database.migrate();
  const { db } = database;
  const visitorTokens = new VisitorTokens(await getOrCreateSecret(db, 'visitor_token'));
  const fileUrls = new FileUrls(await getOrCreateSecret(db, 'file_url'));

  const app = express();
  const server = http.createServer(app);
  const rt = await createRealtime(server, { redisUrl: config.redisUrl, log });
  // The nodes of one install share one database, hence this id, hence their counts in Redis (#4).
  const installId = (await getOrCreateSecret(db, 'rate_limit_namespace')).toString('hex').slice(0, 16);
  const limits = await createLimits({ redisUrl: config.redisUrl, log, installId, config: config.limits }).catch(async (err: unknown) => {
    await rt.close();
    throw err;
  });

  // #5: PGlite's data dir belongs to this process alone, so leases found at start are a dead process's.
  const clock = options.clock ?? systemClock;
  const jobs = new JobRunner(db, log, { concurrency: config.jobs.concurrency, soleProcess: database.kind === 'pglite', clock });
  for (const feature of features) jobs.register(...(feature.jobs ?? []));

  const inFlight = new Set<Promise<unknown>>();
  let closing = false;
  const background: AppContext['background'] = (label, task) => {
    if (closing) return;
    const p = task()
      .catch((err: unknown) => log.error(`${label} failed`, err))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  const ctx: AppContext = {
    config,
    log,
    clock,
    db,
    database,
    accounts: new AccountCache(db),
    rt,
    // PostgreSQL: two batches in flight, so a row lock held by another node stalls only its own
    // chats. More cost PostgreSQL CPU for nothing here: at 500 msg/s its backends used 18 % of a
    // core with 1, 35 % with 2, 61–71 % with 4, for the same p99 (#3). PGlite runs one query at a time.
    writer: new MessageWriter(database, log, { maxInFlight: database.kind === 'postgres' ? 2 : 1 }),
    // #4: widget handshakes arriving together share one statement; PostgreSQL runs two at once.
    visitorConnector: new VisitorConnector(database, log, { maxInFlight: database.kind === 'postgres' ? 2 : 1 }),
    jobs,
    visitorTokens,
    fileUrls,
    limits,
    // #4: the visitors grid's changes, one frame per account (every node's operators: a room emit).
    visitorActivity: new VisitorActivity((accountId, frame) => rt.operators.to(rooms.accountOperators(accountId)).emit('visitors:updated', frame)),
    withAck: makeWithAck(log, limits.commands),
    events: new EventBus(background),
    background,
  };
  for (const feature of features) feature.listen?.(ctx);

  app.disable('x-powered-by');
  app.use(baseHeaders);
  // #4: the trust function the Socket.IO handshake uses too (features/visitors/geo.ts clientIp).
  app.set('trust proxy', proxyTrust(config.trustProxy));
  app.use('/api', apiCors, express.json({ limit: '100kb' }));
  for (const feature of features) if (feature.routes) app.use(feature.routes(ctx));
  app.use('/api', apiNotFound);
  app.use(
    siteRoutes(ctx, {
      widgetFile: options.paths?.widgetFile ?? path.join(ROOT_DIR, 'widget/dist/widget.js'),
      demoDir: options.paths?.demoDir ?? path.join(ROOT_DIR, 'widget/demo'),
    }),
  );
  app.use(errorMiddleware(log));
  attachNamespaces(ctx);
  jobs.start(ctx);
  // PostgreSQL servers run autovacuum; the embedded one has none (db/maintenance.ts).
  const maintenance = database.kind === 'pglite' ? scheduleMaintenance(db, log, options.maintenance) : null;

  let closed: Promise<void> | undefined;
  return {
    ctx,
    database,
    listen: (port = config.port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        // #4: after a restart thousands of widgets connect within a second or two. Past the
        // kernel's accept queue (Node's default: 511) their connections are dropped and the
        // browsers retry only after 1, 3, 7 s; the kernel caps this at net.core.somaxconn.
        server.listen({ port, host: config.host, backlog: LISTEN_BACKLOG }, () => {
          server.off('error', reject);
          const address = server.address();
          const actual = typeof address === 'object' && address ? address.port : port;
          const host = !config.host || config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
          resolve({ url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`, port: actual });
        });
      }),
    close: () =>
      (closed ??= (async () => {
        await rt.close();
        closing = true;
        ctx.visitorActivity.close();
        await Promise.all(inFlight);
        // Running jobs may still write messages or broadcast: they finish before the writer closes.
        await jobs.close();
        await maintenance?.stop();
        await ctx.writer.close();
        await ctx.visitorConnector.close();
        await limits.close();
        await database.close();
        log.flush();
      })()),
  };
}
