/**
 * `npm run bench -- --storm` (#4): the reconnect storm after a restart. With 5,000 visitors and
 * 100 operators connected and a few chats talking, the server is killed (`kill -9`) and started
 * again on the same port and database. Measured: how many clients come back and resync, how long
 * each took from the moment the new process listened, and the delivery latency of the chats that
 * kept talking through it. Results: bench-results/storm.json and a section of latest.md.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase, pgReachable } from '../support/cluster';
import { freePort } from '../support/process';
import type { BenchAccount } from './accounts';
import { PhaseMeter, sleep, startBenchServer, startGenerator, stopGenerators, type Generator, type PhaseUsage } from './proc';
import { round, summarize, type Summary } from './stats';
import type { StormCommand, StormConnected, StormStatus, TalkResult } from './stormgen';

export interface StormConfig {
  visitors: number;
  operators: number;
  accounts: number;
  talkingChats: number;
  talkRate: number;
  loadgens: number;
  dbs: ('pglite' | 'postgres')[];
  /** Also storm the bare Socket.IO relay: what the transport alone costs here. */
  bare: boolean;
  pgUrl: string;
  /** Talking goes on this long after every client resynced. */
  settleS: number;
  /** Longest wait for every client to resync. */
  timeoutS: number;
  /** Write a V8 CPU profile of the restarted server's main thread, from back to all resynced, here. */
  profileDir: string | null;
}

export interface StormTargetResult {
  name: string;
  db: 'pglite' | 'postgres' | null;
  error?: string;
  clients?: number;
  connected?: { visitors: number; operators: number; talking: number; seconds: number; failures: string[] };
  /** From kill to the new process listening on its port. */
  downSeconds?: number;
  /** From listening to answering /health (it waits in the accept queue with the reconnecting clients). */
  healthSeconds?: number;
  resynced?: number;
  /** Per client, from the new process listening to resynced (ms). */
  timeToResynced?: Summary;
  /** Handshakes refused while the server shed load, and failed attempts, over all clients. */
  connectErrors?: number;
  /**
   * Delivery latency (ms) of the talking chats' messages sent after the server was back and both
   * ends of their chat had resynced, while the other clients were still coming back.
   */
  talkAfterBack?: Summary;
  /** … and of those sent once every client had resynced. */
  talkSettled?: Summary;
  /** … and of every message sent after the server answered again, waits for reconnecting included. */
  talkAnyAfterBack?: Summary;
  talk?: { sent: number; acked: number; ackErrors: number; missing: number; duplicates: number };
  stormUsage?: PhaseUsage;
}

export interface StormResult {
  startedAt: string;
  seconds: number;
  machine: { cpus: number; node: string; loadavgStart: number[] };
  config: StormConfig;
  skipped: string[];
  targets: StormTargetResult[];
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const GEN = path.join(import.meta.dirname, 'stormgen.ts');

type Gen = Generator<StormCommand>;
const startGen = (): Gen => startGenerator<StormCommand>(GEN, ROOT);
const stopGens = stopGenerators;

function split<T>(items: T[], parts: number): T[][] {
  return Array.from({ length: parts }, (_, i) => items.filter((_, k) => k % parts === i));
}

async function stormOn(
  db: 'pglite' | 'postgres' | null,
  config: StormConfig,
  createAccounts: (env: NodeJS.ProcessEnv, n: number, operatorsPerAccount: number) => Promise<BenchAccount[]>,
): Promise<StormTargetResult> {
  // No database: the bare Socket.IO relay (no accounts, no auth), the transport's floor.
  const name = db ? `sidedesk/${db}` : 'bare-relay';
  const entry = path.join(ROOT, db ? 'server/src/index.ts' : 'tests/bench/baselines/bare-relay.ts');
  const r: StormTargetResult = { name, db };
  const tmp = db === 'pglite' ? mkdtempSync(path.join(os.tmpdir(), 'sidedesk-storm-')) : null;
  const database = db === 'postgres' ? await freshDatabase('sidedesk_storm', config.pgUrl) : null;
  // Every simulated visitor comes from 127.0.0.1: the per-address limits are off, as in the chat bench.
  const env: NodeJS.ProcessEnv = {
    ...(database ? { DATABASE_URL: database.url } : tmp ? { DATA_DIR: tmp, DATABASE_URL: '' } : {}),
    REDIS_URL: '',
    LOG_LEVEL: 'warn',
    VISITOR_CONNECTIONS_PER_ADDRESS: '0',
    NEW_VISITORS_PER_ADDRESS: '0',
  };
  const gens: Gen[] = [];
  let server: Awaited<ReturnType<typeof startBenchServer>> | null = null;
  try {
    const operatorsPerAccount = Math.max(1, Math.round(config.operators / config.accounts));
    const accounts = db
      ? await createAccounts(env, config.accounts, operatorsPerAccount)
      : Array.from({ length: config.accounts }, (_, i) => ({
          accountId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          operatorToken: 'bench',
          operatorTokens: Array<string>(operatorsPerAccount).fill('bench'),
        }));
    const port = await freePort();
    server = await startBenchServer(name, entry, env, port);
    for (let i = 0; i < config.loadgens; i++) gens.push(startGen());
    const parts = split(accounts, gens.length);
    const connected = await Promise.all(
      gens.map((g, i) =>
        g.ask<StormConnected>(
          {
            type: 'connect',
            url: server!.url,
            accounts: parts[i]!,
            visitorsPerAccount: Math.round(config.visitors / config.accounts),
            // The relay keeps its chats in memory: they don't survive the restart.
            talkingPerAccount: db ? Math.max(0, Math.round(config.talkingChats / config.accounts)) : 0,
            concurrency: 50,
            tag: `s${i}`,
          },
          'connected',
        ),
      ),
    );
    r.connected = {
      visitors: connected.reduce((s, c) => s + c.visitors, 0),
      operators: connected.reduce((s, c) => s + c.operators, 0),
      talking: connected.reduce((s, c) => s + c.talking, 0),
      seconds: Math.max(...connected.map((c) => c.seconds)),
      failures: connected.flatMap((c) => c.failures),
    };
    console.log(
      `  ${r.connected.visitors} visitors, ${r.connected.operators} operators, ${r.connected.talking} talking chats in ${round(r.connected.seconds, 1)} s`,
    );

    const rates = gens.map((_, i) => Math.floor(config.talkRate / gens.length) + (i < config.talkRate % gens.length ? 1 : 0));
    await Promise.all(gens.map((g, i) => g.ask({ type: 'talk', rate: rates[i]! }, 'talking')));
    await sleep(3_000);
    await Promise.all(gens.map((g) => g.ask({ type: 'watch' }, 'watching')));

    // kill -9 and start again at once, as a supervisor would. Its /health waits in the same
    // accept queue as the 5,000 reconnecting clients (on a busy machine over a minute), so times
    // count from the moment its port listened, which the bench probe reports; a profile starts there.
    const killedAt = performance.timeOrigin + performance.now();
    await server.kill();
    server = await startBenchServer(name, entry, { ...env, ...(config.profileDir ? { BENCH_PROFILE_FROM_LISTEN: '1' } : {}) }, port, 300);
    const answeredAt = performance.timeOrigin + performance.now();
    const backAt = server.listeningAt() ?? answeredAt;
    r.downSeconds = round((backAt - killedAt) / 1000, 2);
    r.healthSeconds = round((answeredAt - backAt) / 1000, 2);
    console.log(`  killed and listening again in ${r.downSeconds} s; /health answered ${r.healthSeconds} s later`);
    const meter = new PhaseMeter(
      server.child.pid!,
      gens.map((g) => g.child.pid!),
    );

    const status = async () => Promise.all(gens.map((g) => g.ask<StormStatus>({ type: 'status' }, 'status', 30_000)));
    const until = Date.now() + config.timeoutS * 1000;
    let statuses = await status();
    let lastLog = 0;
    for (;;) {
      const total = statuses.reduce((s, x) => s + x.clients, 0);
      const done = statuses.reduce((s, x) => s + x.resyncedAt.length, 0);
      if (Date.now() - lastLog > 2_000) {
        console.log(`    ${done}/${total} resynced after ${round((Date.now() - backAt) / 1000, 1)} s`);
        lastLog = Date.now();
      }
      if (done >= total || Date.now() > until) break;
      await sleep(250);
      statuses = await status();
    }
    r.stormUsage = meter.finish();
    if (config.profileDir) {
      const file = path.join(config.profileDir, `storm-${db}.cpuprofile`);
      mkdirSync(config.profileDir, { recursive: true });
      await server.profile('stop', file);
      console.log(`  CPU profile of the storm: ${path.relative(ROOT, file)}`);
    }
    console.log(
      `  storm phase: server CPU ${Math.round(r.stormUsage.serverCpuPct)} %, load generators ${Math.round(r.stormUsage.loadgenCpuPct)} %, ` +
        `everything else ${Math.round(r.stormUsage.otherCpuPct)} % (of one core); server CPU ${round(
          serverCpuMsPerClient(
            r.stormUsage,
            statuses.reduce((s, x) => s + x.clients, 0),
          ),
          2,
        )} ms a client`,
    );
    const settledAt = Math.max(backAt, ...statuses.flatMap((s) => s.resyncedAt));
    await sleep(config.settleS * 1000);
    const talks = await Promise.all(gens.map((g) => g.ask<TalkResult>({ type: 'talk:stop', drainMs: 10_000 }, 'talk:result')));

    const deliveries = talks.flatMap((t) => t.deliveries);
    r.clients = statuses.reduce((s, x) => s + x.clients, 0);
    r.resynced = statuses.reduce((s, x) => s + x.resyncedAt.length, 0);
    r.timeToResynced = summarize(statuses.flatMap((s) => s.resyncedAt.map((t) => t - backAt)));
    r.connectErrors = statuses.reduce((s, x) => s + x.connectErrors, 0);
    r.talkAfterBack = summarize(deliveries.filter(([sentAt, , back]) => sentAt >= backAt && back === 1).map(([, ms]) => ms));
    r.talkAnyAfterBack = summarize(deliveries.filter(([sentAt]) => sentAt >= backAt).map(([, ms]) => ms));
    r.talkSettled = summarize(deliveries.filter(([sentAt]) => sentAt >= settledAt).map(([, ms]) => ms));
    r.talk = {
      sent: talks.reduce((s, t) => s + t.sent, 0),
      acked: talks.reduce((s, t) => s + t.acked, 0),
      ackErrors: talks.reduce((s, t) => s + t.ackErrors, 0),
      missing: talks.reduce((s, t) => s + t.missing, 0),
      duplicates: talks.reduce((s, t) => s + t.duplicates, 0),
    };
    console.log(
      `  resynced ${r.resynced}/${r.clients}; time to resynced p50 ${round(r.timeToResynced.p50)} p95 ${round(r.timeToResynced.p95)} max ${round(r.timeToResynced.max)} ms; ` +
        `talking chats after the server was back p99 ${round(r.talkAfterBack.p99)} ms (settled p99 ${round(r.talkSettled.p99)} ms), missing ${r.talk.missing}, dup ${r.talk.duplicates}`,
    );
  } catch (e) {
    r.error = String((e as Error)?.stack ?? e).slice(0, 4000);
    console.error(`  ✗ ${name}: ${r.error}`);
  } finally {
    await stopGens(gens);
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    await database?.drop().catch(() => undefined);
  }
  return r;
}

export async function runStorm(
  config: StormConfig,
  createAccounts: (env: NodeJS.ProcessEnv, n: number, operatorsPerAccount: number) => Promise<BenchAccount[]>,
): Promise<StormResult> {
  const started = Date.now();
  const result: StormResult = {
    startedAt: new Date(started).toISOString(),
    seconds: 0,
    machine: { cpus: os.cpus().length, node: process.version, loadavgStart: os.loadavg() },
    config,
    skipped: [],
    targets: [],
  };
  if (config.bare) {
    console.log('\n▶ storm on the bare Socket.IO relay');
    result.targets.push(await stormOn(null, config, createAccounts));
  }
  for (const db of config.dbs) {
    if (db === 'postgres' && !(await pgReachable(config.pgUrl))) {
      result.skipped.push(`PostgreSQL at ${config.pgUrl} not reachable`);
      continue;
    }
    console.log(`\n▶ storm on ${db}`);
    result.targets.push(await stormOn(db, config, createAccounts));
  }
  result.seconds = Math.round((Date.now() - started) / 1000);
  return result;
}

/**
 * The server's CPU time (main thread and PGlite's, ms) in the storm phase, per client that had to
 * come back: less sensitive to a busy machine than the times to resync (talking chats included).
 */
function serverCpuMsPerClient(usage: PhaseUsage, clients: number): number {
  return clients ? (usage.serverCpuPct * usage.seconds * 10) / clients : NaN;
}

const ms = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v < 10 ? round(v, 1).toFixed(1) : String(Math.round(v)));
const quad = (s: Summary | undefined) => (s && s.count ? `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)} / ${ms(s.max)}` : '–');

/** The storm's section of latest.md. */
export function renderStorm(r: StormResult): string {
  const c = r.config;
  const lines = [
    `### Reconnect storm ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC — ${c.visitors} visitors, ${c.operators} operators, ${c.talkingChats} chats talking at ${c.talkRate} msg/s; kill -9, restart`,
    '',
    `Machine: ${r.machine.cpus} cores, Node ${r.machine.node}; load average ${r.machine.loadavgStart.map((v) => v.toFixed(2)).join(' ')} at start. ` +
      'Times in ms (p50 / p95 / p99 / max), counted from the moment the restarted server listened on its port.',
    '',
    '| target | kill → listening | resynced | time to resynced | refused/failed attempts | talking chats once back | … once all resynced | … any sent after restart (incl. reconnect wait) | missing / dup | CPU in the storm: server / load generators / other | server CPU a client |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const t of r.targets) {
    if (t.error && t.resynced === undefined) {
      lines.push(`| ${t.name} | error: ${t.error.split('\n')[0]!.slice(0, 120)} ||||||||||`);
      continue;
    }
    const pct = t.clients ? `${t.resynced}/${t.clients} (${round((100 * (t.resynced ?? 0)) / t.clients, 1)} %)` : '–';
    lines.push(
      `| ${t.name} | ${t.downSeconds} s | ${pct} | ${quad(t.timeToResynced)} | ${t.connectErrors ?? '–'} | ${quad(t.talkAfterBack)} | ${quad(t.talkSettled)} | ${quad(t.talkAnyAfterBack)} | ${t.talk ? `${t.talk.missing} / ${t.talk.duplicates}` : '–'} | ${t.stormUsage ? `${Math.round(t.stormUsage.serverCpuPct)} / ${Math.round(t.stormUsage.loadgenCpuPct)} / ${Math.round(t.stormUsage.otherCpuPct)} %` : '–'} | ${t.stormUsage && t.clients ? `${round(serverCpuMsPerClient(t.stormUsage, t.clients), 2)} ms` : '–'} |`,
    );
  }
  lines.push('');
  const checks: string[] = [];
  for (const t of r.targets) {
    if (!t.timeToResynced || !t.clients) continue;
    const all = t.resynced === t.clients;
    const p95 = t.timeToResynced.p95 <= 3_000;
    const talking = t.talkAfterBack?.count
      ? `talking chats p99 ≤ 100 ms after the server is back ${t.talkAfterBack.p99 <= 100 ? 'met' : 'NOT met'} (${ms(t.talkAfterBack.p99)} ms)`
      : 'no talking chats (this target keeps none across a restart)';
    checks.push(
      `- ${t.name}: 100 % resynced ${all ? 'met' : 'NOT met'}; p95 time to resynced ≤ 3 s ${p95 ? 'met' : 'NOT met'} (${ms(t.timeToResynced.p95)} ms); ${talking}`,
    );
  }
  if (checks.length) lines.push('Targets of #4:', ...checks, '');
  for (const s of r.skipped) lines.push(`Skipped: ${s}`);
  return lines.join('\n');
}
