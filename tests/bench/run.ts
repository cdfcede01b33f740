/**
 * `npm run bench`: Sidedesk's delivery path under load, beside two baselines measured in the same
 * run with the same load (issue #3):
 *   bare-relay        a Socket.IO relay, no database, no auth (the floor of the transport);
 *   persisted-relay   the same with one INSERT … RETURNING per message before the ack;
 *   sidedesk          our server, on PGlite (temp DATA_DIR) and on PostgreSQL (fresh database).
 * Every server and every load generator is its own process. Results: bench-results/latest.json
 * and latest.md. Flags: see `usage` below.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freshDatabase, pgReachable } from '../support/cluster';
import type { BenchAccount } from './accounts';
import type { Backlog, ChatsReady, IdleReady, LoadgenCommand, PageviewsResult, RunResult } from './loadgen';
import {
  PhaseMeter,
  sleep,
  startBenchServer,
  startGenerator,
  stopGenerators,
  type BenchServer,
  type Generator,
  type MemoryFigures,
  type PhaseUsage,
  type Stalls,
} from './proc';
import { renderMarkdown } from './report';
import { round, summarize, type Summary } from './stats';
import { renderGrid, runGrid, type GridResult } from './grid';
import { renderStorm, runStorm, type StormResult } from './storm';
import { renderArchive, runArchive, type ArchiveResult } from './archive';

const usage = `npm run bench -- [options]
  --quick               ~1 minute: 200 chats, short phases, PGlite only, short ramp
  --chats N             concurrent chats, default 1000 (a visitor socket each, one operator socket per account)
  --chats-per-account K chats per account, default 10: the server holds chats/K accounts (created
                        before it starts), each with one operator socket serving its K chats
  --rate R              total messages/s in the steady phase, default 200
  --duration S          steady phase seconds, default 30
  --idle N              idle visitors for the memory phase, default 10000 (0 = skip)
  --ramp a,b,c          rates of the throughput ramp (msg/s); --no-ramp to skip
  --ramp-step S         seconds per ramp step, default 8
  --db pglite,postgres  databases to run on (postgres skipped if unreachable), default both
  --only names          subset of: bare,persisted,sidedesk
  --loadgens K          load generator processes, default 2
  --profile             write a V8 CPU profile of each server's steady phase to bench-results/profiles/
  --storm               only the reconnect storm (#4): --storm-visitors (5000) visitors and --storm-operators
                        (100) operators connected, --storm-talking (40) chats talking, kill -9 and restart;
                        on the bare relay (the transport's floor; --only sidedesk skips it) and --db;
                        writes bench-results/storm.json and its section of latest.md
  --grid                only the visitors grid (#6): --grid-visitors (5000) visitors in the side panel's grid
                        (Chromium, puppeteer tracing), --grid-rate (100) page views a second, update-to-paint
                        and long tasks while scrolling; ~1 minute; writes bench-results/grid.json and its
                        section of latest.md
  --archive             only the chat archive's search (P9, #6): --archive-messages (1000000) messages over
                        --archive-chats (50000) closed chats, generated in SQL, --archive-searches (200) searches
                        of mixed filters, p50/p95/max; on --db; writes bench-results/archive.json and its
                        section of latest.md
  --pg-url URL          PostgreSQL server to create the bench databases on
                        (default: BENCH_PG_URL, else DATABASE_URL's server, else 127.0.0.1:5432)`;

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    chats: { type: 'string' },
    'chats-per-account': { type: 'string' },
    rate: { type: 'string' },
    duration: { type: 'string' },
    idle: { type: 'string' },
    ramp: { type: 'string' },
    'no-ramp': { type: 'boolean', default: false },
    'ramp-step': { type: 'string' },
    db: { type: 'string' },
    only: { type: 'string' },
    loadgens: { type: 'string' },
    'pg-url': { type: 'string' },
    profile: { type: 'boolean', default: false },
    storm: { type: 'boolean', default: false },
    'storm-visitors': { type: 'string' },
    'storm-operators': { type: 'string' },
    'storm-talking': { type: 'string' },
    grid: { type: 'boolean', default: false },
    archive: { type: 'boolean', default: false },
    'archive-messages': { type: 'string' },
    'archive-chats': { type: 'string' },
    'archive-searches': { type: 'string' },
    'grid-visitors': { type: 'string' },
    'grid-rate': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(usage);
  process.exit(0);
}

const quick = flags.quick;
const config = {
  quick,
  chats: Number(flags.chats ?? (quick ? 200 : 1000)),
  chatsPerAccount: Math.max(1, Number(flags['chats-per-account'] ?? 10)),
  rate: Number(flags.rate ?? 200),
  durationS: Number(flags.duration ?? (quick ? 6 : 30)),
  warmupS: quick ? 2 : 5,
  idleVisitors: Number(flags.idle ?? (quick ? 1000 : 10_000)),
  idlePageviewRate: 100,
  idlePageviewS: quick ? 3 : 10,
  ramp: flags['no-ramp'] ? [] : (flags.ramp ?? (quick ? '1000,3000' : '1000,2000,3000,4000,5000,6000,8000')).split(',').map(Number),
  rampStepS: Number(flags['ramp-step'] ?? (quick ? 4 : 8)),
  rampP99LimitMs: 50,
  dbs: (flags.db ?? (quick ? 'pglite' : 'pglite,postgres')).split(',') as ('pglite' | 'postgres')[],
  only: (flags.only ?? 'bare,persisted,sidedesk').split(','),
  loadgens: Number(flags.loadgens ?? 2),
  pgUrl: flags['pg-url'] ?? process.env.BENCH_PG_URL ?? withDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', 'postgres'),
};

const ROOT = path.resolve(import.meta.dirname, '../..');
const LOADGEN = path.join(import.meta.dirname, 'loadgen.ts');
const PROFILE_DIR = flags.profile ? path.join(ROOT, 'bench-results/profiles') : null;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

// ── Targets ────────────────────────────────────────────────────────────────────────────────

type Kind = 'bare' | 'persisted' | 'sidedesk';
type Db = 'pglite' | 'postgres' | null;

interface Target {
  name: string;
  kind: Kind;
  db: Db;
  /** Measure memory per idle visitor socket (the persisted relay is the bare one for idle sockets). */
  idle: boolean;
  ramp: boolean;
}

interface Prepared {
  entry: string;
  env: NodeJS.ProcessEnv;
  /** chats / chatsPerAccount accounts, each with an operator token. */
  accounts: BenchAccount[];
  cleanup: () => Promise<void>;
}

const accountCount = () => Math.max(1, Math.ceil(config.chats / config.chatsPerAccount));

/** Accounts, operators and sessions on the target's database, made before its server starts. */
export async function createAccounts(env: NodeJS.ProcessEnv, n: number, operatorsPerAccount = 1): Promise<BenchAccount[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'accounts.ts'), String(n), String(operatorsPerAccount)],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as BenchAccount[];
}

async function prepare(t: Target): Promise<Prepared> {
  const tmp = t.db === 'pglite' ? mkdtempSync(path.join(os.tmpdir(), `sidedesk-bench-${t.kind}-`)) : null;
  const database = t.db === 'postgres' ? await freshDatabase(t.kind === 'sidedesk' ? 'sidedesk_bench' : 'sidedesk_bench_relay', config.pgUrl) : null;
  // Unset variables are passed as '' (the server's config reads '' as unset).
  const dbEnv: NodeJS.ProcessEnv = database ? { DATABASE_URL: database.url } : tmp ? { DATA_DIR: tmp, DATABASE_URL: '' } : {};
  const cleanup = async () => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    await database?.drop();
  };
  if (t.kind !== 'sidedesk') {
    const entry = path.join(import.meta.dirname, 'baselines', t.kind === 'bare' ? 'bare-relay.ts' : 'persisted-relay.ts');
    // The relays have no accounts; the same grouping keeps the socket topology identical.
    const accounts = Array.from({ length: accountCount() }, (_, i) => ({
      accountId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      operatorToken: 'bench',
      operatorTokens: ['bench'],
    }));
    return { entry, env: dbEnv, accounts, cleanup };
  }
  // Ours: a multi-tenant server, its accounts made before it starts.
  // Every simulated visitor connects from 127.0.0.1: the per-address limits (#4) are for real networks.
  const env: NodeJS.ProcessEnv = { ...dbEnv, REDIS_URL: '', VISITOR_CONNECTIONS_PER_ADDRESS: '0', NEW_VISITORS_PER_ADDRESS: '0' };
  return { entry: path.join(ROOT, 'server/src/index.ts'), env, accounts: await createAccounts(env, accountCount()), cleanup };
}

// ── Load generators ────────────────────────────────────────────────────────────────────────

type Loadgen = Generator<LoadgenCommand>;
const startLoadgen = (): Loadgen => startGenerator<LoadgenCommand>(LOADGEN, ROOT);
const stopLoadgens = stopGenerators;

/** Split a total over the generators (first ones take the remainder). */
function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

// ── Phases ─────────────────────────────────────────────────────────────────────────────────

interface LatencyFigures {
  toOperator: Summary;
  toVisitor: Summary;
  all: Summary;
  ack: Summary;
}

interface LoadFigures {
  targetRate: number;
  /** Messages acknowledged (committed, for the persisted targets) per second. */
  committedRate: number;
  sent: number;
  acked: number;
  ackErrors: number;
  delivered: number;
  missing: number;
  duplicates: number;
  wireDuplicates: number;
  disconnects: number;
  latency: LatencyFigures;
  usage: PhaseUsage;
  maxTimerLagMs: number;
  /** The server's event-loop delay and GC pauses (steady phase only). */
  stalls?: Stalls | null;
}

function merge(results: RunResult[], usage: PhaseUsage): LoadFigures {
  const cat = (f: (r: RunResult) => number[]) => results.flatMap(f);
  const sum = (f: (r: RunResult) => number) => results.reduce((s, r) => s + f(r), 0);
  const toOperator = cat((r) => r.latencyToOperator);
  const toVisitor = cat((r) => r.latencyToVisitor);
  const seconds = Math.max(...results.map((r) => r.seconds));
  return {
    targetRate: sum((r) => r.targetRate),
    committedRate: sum((r) => r.acked) / seconds,
    sent: sum((r) => r.sent),
    acked: sum((r) => r.acked),
    ackErrors: sum((r) => r.ackErrors),
    delivered: toOperator.length + toVisitor.length,
    missing: sum((r) => r.missing),
    duplicates: sum((r) => r.duplicates),
    wireDuplicates: sum((r) => r.wireDuplicates),
    disconnects: sum((r) => r.disconnects),
    latency: {
      toOperator: summarize(toOperator),
      toVisitor: summarize(toVisitor),
      all: summarize([...toOperator, ...toVisitor]),
      ack: summarize(cat((r) => r.ackLatency)),
    },
    usage,
    maxTimerLagMs: Math.max(...results.map((r) => r.maxTimerLagMs)),
  };
}

async function runLoad(server: BenchServer, gens: Loadgen[], rate: number, seconds: number): Promise<LoadFigures> {
  const meter = new PhaseMeter(
    server.child.pid!,
    gens.map((g) => g.child.pid!),
  );
  const rates = split(rate, gens.length);
  const results = await Promise.all(
    gens.map((g, i) => g.ask<RunResult>({ type: 'run', rate: rates[i]!, durationMs: seconds * 1000, drainMs: 5_000 }, 'run:result')),
  );
  return merge(results, meter.finish());
}

interface IdleFigures {
  visitors: number;
  connected: number;
  connectFailures: number;
  connectSeconds: number;
  before: MemoryFigures;
  after: MemoryFigures;
  /** (RSS after − RSS before) / connected sockets, both after a full GC. */
  rssPerSocket: number;
  heapPerSocket: number;
  pageviews: { sent: number; acked: number; failed: number; ack: Summary };
  usage: PhaseUsage;
}

async function idlePhase(t: Target, p: Prepared): Promise<IdleFigures> {
  const server = await startBenchServer(t.name, p.entry, p.env);
  const gens = Array.from({ length: config.loadgens }, startLoadgen);
  try {
    await sleep(1000);
    const before = await server.probe();
    const meter = new PhaseMeter(
      server.child.pid!,
      gens.map((g) => g.child.pid!),
    );
    const parts = split(config.idleVisitors, gens.length);
    const ready = await Promise.all(
      gens.map((g, i) =>
        g.ask<IdleReady>(
          { type: 'idle', url: server.url, accountIds: p.accounts.map((a) => a.accountId), visitors: parts[i]!, concurrency: 100, tag: `g${i}` },
          'idle:ready',
        ),
      ),
    );
    const pvRates = split(config.idlePageviewRate, gens.length);
    const pv = await Promise.all(
      gens.map((g, i) => g.ask<PageviewsResult>({ type: 'pageviews', rate: pvRates[i]!, durationMs: config.idlePageviewS * 1000 }, 'pageviews:result')),
    );
    const usage = meter.finish();
    await sleep(2000); // let handshakes' garbage become collectable
    const after = await server.probe();
    const connected = ready.reduce((s, r) => s + r.connected, 0);
    return {
      visitors: config.idleVisitors,
      connected,
      connectFailures: ready.reduce((s, r) => s + r.connectFailures, 0),
      connectSeconds: Math.max(...ready.map((r) => r.seconds)),
      before,
      after,
      rssPerSocket: (after.rss - before.rss) / Math.max(1, connected),
      heapPerSocket: (after.heapUsed - before.heapUsed) / Math.max(1, connected),
      pageviews: {
        sent: pv.reduce((s, r) => s + r.sent, 0),
        acked: pv.reduce((s, r) => s + r.acked, 0),
        failed: pv.reduce((s, r) => s + r.failed, 0),
        ack: summarize(pv.flatMap((r) => r.ackLatency)),
      },
      usage,
    };
  } finally {
    await stopLoadgens(gens);
    await server.stop();
  }
}

/** Waits until every message sent is acknowledged (a step that overran leaves a backlog), then a moment more. */
async function drained(gens: Loadgen[], timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const pending = (await Promise.all(gens.map((g) => g.ask<Backlog>({ type: 'backlog' }, 'backlog', 10_000)))).reduce((s, b) => s + b.pending, 0);
    if (pending === 0) break;
    if (Date.now() > until) {
      console.log(`    (backlog of ${pending} still unacknowledged after ${timeoutMs / 1000} s)`);
      break;
    }
    await sleep(250);
  }
  await sleep(1000);
}

interface RampStep {
  targetRate: number;
  committedRate: number;
  p99: number;
  ackP99: number;
  missing: number;
  pass: boolean;
  serverCpuPct: number;
  loadgenCpuPct: number;
}

interface RampFigures {
  steps: RampStep[];
  /** Highest committed msg/s with delivery p99 ≤ the limit (and nothing missing). */
  maxCommittedRate: number | null;
  limitMs: number;
}

async function ramp(server: BenchServer, gens: Loadgen[]): Promise<RampFigures> {
  const steps: RampStep[] = [];
  const step = async (rate: number) => {
    const f = await runLoad(server, gens, rate, config.rampStepS);
    const s: RampStep = {
      targetRate: rate,
      committedRate: round(f.committedRate, 0),
      p99: f.latency.all.p99,
      ackP99: f.latency.ack.p99,
      missing: f.missing,
      // Passing means keeping up too: a generator that could not send the rate doesn't count.
      pass: f.latency.all.p99 <= config.rampP99LimitMs && f.missing === 0 && f.committedRate >= 0.95 * rate,
      serverCpuPct: round(f.usage.serverCpuPct, 0),
      loadgenCpuPct: round(f.usage.loadgenCpuPct, 0),
    };
    steps.push(s);
    console.log(`    ramp ${rate} msg/s → committed ${s.committedRate}/s, p99 ${round(s.p99)} ms ${s.pass ? 'ok' : 'FAIL'}`);
    await drained(gens);
    return s;
  };
  let lastPass: RampStep | null = null;
  let firstFail: RampStep | null = null;
  for (const rate of config.ramp) {
    const s = await step(rate);
    if (!s.pass) {
      firstFail = s;
      break;
    }
    lastPass = s;
  }
  // One bisection step between the last pass and the first failure narrows the knee.
  if (firstFail && !config.quick) {
    const mid = Math.round(((lastPass?.targetRate ?? 0) + firstFail.targetRate) / 2 / 100) * 100;
    if (mid > (lastPass?.targetRate ?? 0) && mid < firstFail.targetRate) {
      await step(mid); // recorded in `steps`, which the result is read from
    }
  }
  const passing = steps.filter((s) => s.pass).map((s) => s.committedRate);
  return { steps, maxCommittedRate: passing.length ? Math.max(...passing) : null, limitMs: config.rampP99LimitMs };
}

interface ChatFigures {
  chats: number;
  ready: number;
  connectFailures: number;
  setupFailures: string[];
  setupSeconds: number;
  steady: LoadFigures;
  memoryAfter: MemoryFigures;
  ramp: RampFigures | null;
}

async function chatPhase(t: Target, p: Prepared): Promise<ChatFigures> {
  const server = await startBenchServer(t.name, p.entry, p.env);
  const gens = Array.from({ length: config.loadgens }, startLoadgen);
  try {
    // Whole accounts per generator: an account's operator socket lives where its chats' visitors do.
    const accountParts = split(p.accounts.length, gens.length);
    const ready = await Promise.all(
      gens.map((g, i) => {
        const first = accountParts.slice(0, i).reduce((a, b) => a + b, 0);
        const accounts = p.accounts.slice(first, first + accountParts[i]!);
        const chats = Math.max(0, Math.min(config.chats - first * config.chatsPerAccount, accounts.length * config.chatsPerAccount));
        return g.ask<ChatsReady>(
          { type: 'chats', url: server.url, accounts, chatsPerAccount: config.chatsPerAccount, chats, concurrency: 50, tag: `g${i}` },
          'chats:ready',
        );
      }),
    );
    const readyChats = ready.reduce((s, r) => s + r.chats, 0);
    console.log(`  ${readyChats}/${config.chats} chats ready in ${round(Math.max(...ready.map((r) => r.seconds)), 1)} s`);
    if (readyChats === 0) throw new Error(`no chat could be set up: ${ready.flatMap((r) => r.setupFailures).join('; ')}`);
    await runLoad(server, gens, config.rate, config.warmupS); // JIT, pools, caches
    if (PROFILE_DIR) await server.profile('start');
    await server.stalls('start');
    const steady = await runLoad(server, gens, config.rate, config.durationS);
    steady.stalls = await server.stalls('stop');
    if (PROFILE_DIR) {
      mkdirSync(PROFILE_DIR, { recursive: true });
      const file = path.join(PROFILE_DIR, `${t.name.replace('/', '-')}-steady.cpuprofile`);
      await server.profile('stop', file);
      console.log(`  CPU profile of the steady phase: ${path.relative(ROOT, file)}`);
    }
    console.log(
      `  steady ${config.rate} msg/s: p50 ${round(steady.latency.all.p50)} p99 ${round(steady.latency.all.p99)} ms, ` +
        `delivered ${steady.delivered}/${steady.acked}, dup ${steady.duplicates}, server CPU ${round(steady.usage.serverCpuPct, 0)} %`,
    );
    if (steady.stalls?.loopDelay)
      console.log(
        `  server event loop delay p50 ${steady.stalls.loopDelay.p50} p99 ${steady.stalls.loopDelay.p99} max ${steady.stalls.loopDelay.max} ms; ` +
          `GC ${steady.stalls.gc.count}× ${steady.stalls.gc.totalMs} ms in all, longest ${steady.stalls.gc.maxMs} ms, ${steady.stalls.gc.over10ms} over 10 ms`,
      );
    const memoryAfter = await server.probe();
    const rampFigures = t.ramp && config.ramp.length ? await ramp(server, gens) : null;
    return {
      chats: config.chats,
      ready: readyChats,
      connectFailures: ready.reduce((s, r) => s + r.connectFailures, 0),
      setupFailures: ready.flatMap((r) => r.setupFailures),
      setupSeconds: Math.max(...ready.map((r) => r.seconds)),
      steady,
      memoryAfter,
      ramp: rampFigures,
    };
  } finally {
    await stopLoadgens(gens);
    await server.stop();
  }
}

// ── Main ───────────────────────────────────────────────────────────────────────────────────

export interface TargetResult {
  name: string;
  kind: Kind;
  db: Db;
  idle?: IdleFigures;
  chat?: ChatFigures;
  error?: string;
}

export interface BenchResult {
  startedAt: string;
  seconds: number;
  machine: { cpus: number; model: string; node: string; loadavgStart: number[]; loadavgEnd: number[] };
  config: typeof config;
  skipped: string[];
  targets: TargetResult[];
}

const OUT_DIR = path.join(ROOT, 'bench-results');
const STORM_FILE = path.join(OUT_DIR, 'storm.json');
const GRID_FILE = path.join(OUT_DIR, 'grid.json');
const ARCHIVE_FILE = path.join(OUT_DIR, 'archive.json');

/** latest.md: the delivery bench's figures, then the last reconnect storm's, the grid's and the archive's (each run keeps the others'). */
function writeMarkdown(
  bench: BenchResult | null,
  storm: StormResult | null,
  grid = readJson<GridResult>(GRID_FILE),
  archive = readJson<ArchiveResult>(ARCHIVE_FILE),
) {
  const parts = [
    bench ? renderMarkdown(bench) : '',
    storm ? renderStorm(storm) : '',
    grid ? renderGrid(grid) : '',
    archive ? renderArchive(archive) : '',
  ].filter(Boolean);
  writeFileSync(path.join(OUT_DIR, 'latest.md'), `${parts.join('\n\n')}\n`);
  return parts.join('\n\n');
}

const readJson = <T>(file: string): T | null => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null);

async function storm() {
  const result = await runStorm(
    {
      visitors: Number(flags['storm-visitors'] ?? 5000),
      operators: Number(flags['storm-operators'] ?? 100),
      accounts: 20,
      talkingChats: Number(flags['storm-talking'] ?? 40),
      talkRate: 100,
      loadgens: config.loadgens,
      dbs: (flags.db ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[],
      bare: config.only.includes('bare'),
      pgUrl: config.pgUrl,
      settleS: 10,
      timeoutS: 90,
      profileDir: PROFILE_DIR,
    },
    createAccounts,
  );
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(STORM_FILE, JSON.stringify(result, null, 2));
  console.log(`\n${renderStorm(result)}`);
  writeMarkdown(readJson<BenchResult>(path.join(OUT_DIR, 'latest.json')), result);
  console.log(`Written: bench-results/storm.json, bench-results/latest.md (${result.seconds} s)`);
}

async function grid() {
  const result = await runGrid({
    visitors: Number(flags['grid-visitors'] ?? 5000),
    rate: Number(flags['grid-rate'] ?? 100),
    stillS: 15,
    scrollS: 15,
  });
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(GRID_FILE, JSON.stringify(result, null, 2));
  console.log(`\n${renderGrid(result)}`);
  writeMarkdown(readJson<BenchResult>(path.join(OUT_DIR, 'latest.json')), readJson<StormResult>(STORM_FILE), result);
  console.log(`Written: bench-results/grid.json, bench-results/latest.md (${result.seconds} s)`);
}

async function archive() {
  const dbs = (flags.db ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
  if (dbs.includes('postgres') && !(await pgReachable(config.pgUrl))) {
    console.log(`PostgreSQL at ${config.pgUrl} not reachable: skipped`);
    dbs.splice(dbs.indexOf('postgres'), 1);
  }
  const result = await runArchive({
    messages: Number(flags['archive-messages'] ?? 1_000_000),
    chats: Number(flags['archive-chats'] ?? 50_000),
    searches: Number(flags['archive-searches'] ?? 200),
    dbs,
    pgUrl: config.pgUrl,
  });
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(ARCHIVE_FILE, JSON.stringify(result, null, 2));
  console.log(`\n${renderArchive(result)}`);
  writeMarkdown(readJson<BenchResult>(path.join(OUT_DIR, 'latest.json')), readJson<StormResult>(STORM_FILE), readJson<GridResult>(GRID_FILE), result);
  console.log(`Written: bench-results/archive.json, bench-results/latest.md (${result.seconds} s)`);
}

async function main() {
  const started = Date.now();
  const skipped: string[] = [];
  const dbs = [...config.dbs];
  if (dbs.includes('postgres') && !(await pgReachable(config.pgUrl))) {
    dbs.splice(dbs.indexOf('postgres'), 1);
    skipped.push(`PostgreSQL at ${config.pgUrl} not reachable: PostgreSQL targets skipped`);
  }
  const targets: Target[] = [];
  if (config.only.includes('bare')) targets.push({ name: 'bare-relay', kind: 'bare', db: null, idle: true, ramp: !config.quick });
  for (const db of dbs) {
    if (config.only.includes('persisted')) targets.push({ name: `persisted-relay/${db}`, kind: 'persisted', db, idle: false, ramp: true });
    if (config.only.includes('sidedesk')) targets.push({ name: `sidedesk/${db}`, kind: 'sidedesk', db, idle: true, ramp: true });
  }

  const result: BenchResult = {
    startedAt: new Date(started).toISOString(),
    seconds: 0,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', node: process.version, loadavgStart: os.loadavg(), loadavgEnd: [] },
    config,
    skipped,
    targets: [],
  };
  mkdirSync(OUT_DIR, { recursive: true });
  const save = () => {
    result.seconds = Math.round((Date.now() - started) / 1000);
    result.machine.loadavgEnd = os.loadavg();
    writeFileSync(path.join(OUT_DIR, 'latest.json'), JSON.stringify(result, null, 2));
    return writeMarkdown(result, readJson<StormResult>(STORM_FILE));
  };

  for (const t of targets) {
    console.log(`\n▶ ${t.name}`);
    const r: TargetResult = { name: t.name, kind: t.kind, db: t.db };
    result.targets.push(r);
    let p: Prepared | null = null;
    try {
      p = await prepare(t);
      if (t.idle && config.idleVisitors > 0) {
        r.idle = await idlePhase(t, p);
        console.log(
          `  idle: ${r.idle.connected}/${config.idleVisitors} visitors, ${round(r.idle.rssPerSocket / 1024, 1)} KB RSS ` +
            `(${round(r.idle.heapPerSocket / 1024, 1)} KB heap) per socket`,
        );
      }
      r.chat = await chatPhase(t, p);
    } catch (e) {
      r.error = String((e as Error)?.stack ?? e).slice(0, 4000);
      console.error(`  ✗ ${t.name}: ${r.error}`);
    } finally {
      await p?.cleanup().catch(() => {});
    }
    save();
  }
  console.log(`\n${save()}`);
  console.log(`Written: bench-results/latest.json, bench-results/latest.md (${result.seconds} s)`);
}

await (flags.grid ? grid() : flags.storm ? storm() : flags.archive ? archive() : main());
process.exit(0);
