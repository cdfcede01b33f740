/**
 * Processes of the bench: servers under test (forked with the probe preloaded and GC exposed),
 * and what /proc says about them (CPU ticks, RSS) and about the machine (others' load).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../support/process';

const PROBE = path.resolve(import.meta.dirname, 'probe.ts');
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface BenchServer {
  name: string;
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Full GC in the server, then its memory figures. */
  probe: () => Promise<MemoryFigures>;
  /** When its HTTP port first listened (epoch ms; the probe tells), null if not heard. */
  listeningAt: () => number | null;
  /** Starts a CPU profile in the server, or stops it and writes it to `file`. */
  profile: (action: 'start' | 'stop', file?: string) => Promise<void>;
  /** Starts watching the server's event-loop delay and GC pauses, or stops and returns them. */
  stalls: (action: 'start' | 'stop') => Promise<Stalls | null>;
  stop: () => Promise<void>;
  /** kill -9: no graceful close (the reconnect storm, #4). */
  kill: () => Promise<void>;
}

/** How long the server's event loop was held up during a phase (ms), and by GC. */
export interface Stalls {
  loopDelay: { p50: number; p99: number; max: number } | null;
  gc: { count: number; totalMs: number; maxMs: number; over10ms: number };
}

export interface MemoryFigures {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** V8 heap spaces: bytes reserved and used (where heapTotal − heapUsed sits). */
  spaces?: Record<string, { size: number; used: number }>;
}

/**
 * Fork a TypeScript entry as a server on `port` (default: a free one) and wait for GET /health,
 * `timeoutS` at most.
 */
export async function startBenchServer(name: string, entry: string, env: NodeJS.ProcessEnv, port?: number, timeoutS = 60): Promise<BenchServer> {
  port ??= await freePort();
  const child = fork(entry, [], {
    execArgv: ['--expose-gc', '--import', 'tsx', '--import', PROBE],
    env: { ...process.env, HOST: '127.0.0.1', ...env, PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let listeningAt: number | null = null;
  child.on('message', (msg: { type?: string; at?: number }) => {
    if (msg?.type === 'bench:listening' && listeningAt === null) listeningAt = msg.at ?? null;
  });
  let out = '';
  child.stdout?.on('data', (d) => (out = (out + d).slice(-20_000)));
  child.stderr?.on('data', (d) => (out = (out + d).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${out}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer /health within ${timeoutS} s:\n${out}`);
    }
    await sleep(100);
  }
  return {
    name,
    url,
    child,
    output: () => out,
    listeningAt: () => listeningAt,
    probe: () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no probe answer`)), 30_000);
        const onMessage = (msg: { type?: string } & MemoryFigures) => {
          if (msg?.type !== 'bench:probe') return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(msg);
        };
        child.on('message', onMessage);
        child.send({ type: 'bench:probe' });
      }),
    profile: (action, file) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no profile ${action} answer`)), 30_000);
        const onMessage = (msg: { type?: string; action?: string }) => {
          if (msg?.type !== 'bench:profile' || msg.action !== action) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve();
        };
        child.on('message', onMessage);
        child.send({ type: 'bench:profile', action, file });
      }),
    stalls: (action) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), 10_000);
        const onMessage = (msg: { type?: string; action?: string } & Partial<Stalls>) => {
          if (msg?.type !== 'bench:stalls' || msg.action !== action) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(action === 'stop' ? { loopDelay: msg.loopDelay ?? null, gc: msg.gc! } : null);
        };
        child.on('message', onMessage);
        child.send({ type: 'bench:stalls', action });
      }),
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A load generator process (forked TypeScript), driven over IPC: a command, then the reply of a given type. */
export interface Generator<C> {
  child: ChildProcess;
  /** Sends `cmd` and resolves with the first message of type `reply` (rejects on an `error` message or timeout). */
  ask<R>(cmd: C, reply: string, timeoutMs?: number): Promise<R>;
}

export function startGenerator<C extends object>(entry: string, cwd: string): Generator<C> {
  const child = fork(entry, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], cwd });
  const name = path.basename(entry, '.ts');
  return {
    child,
    ask: (cmd, reply, timeoutMs = 600_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no ${reply} within ${timeoutMs} ms`)), timeoutMs);
        const onMessage = (msg: { type: string; message?: string }) => {
          if (msg.type !== reply && msg.type !== 'error') return;
          clearTimeout(timer);
          child.off('message', onMessage);
          if (msg.type === 'error') reject(new Error(`${name}: ${msg.message}`));
          else resolve(msg as never);
        };
        child.on('message', onMessage);
        child.send(cmd);
      }),
  };
}

/** Asks each generator to close (`{ type: 'close' }` → `closed`), then makes sure it is gone. */
export async function stopGenerators(gens: Generator<{ type: 'close' }>[]): Promise<void> {
  await Promise.all(
    gens.map(async (g) => {
      const exited = new Promise((r) => g.child.once('exit', r));
      await g.ask({ type: 'close' }, 'closed', 30_000).catch(() => g.child.kill('SIGKILL'));
      await Promise.race([exited, sleep(5_000)]);
      if (g.child.exitCode === null) g.child.kill('SIGKILL');
    }),
  );
}

/** Runs `count` async jobs with at most `concurrency` in flight (in a generator: connecting clients). */
export async function pool(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await job(next++);
    }),
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** CPU seconds (user + system) a process has used so far; 0 if it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Resident set size in bytes, from /proc (what the OS charges the process). */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Busy and total CPU seconds of the whole machine (all cores). */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/**
 * Watches a phase: CPU of the server and of the load generators, peak server RSS, and how
 * busy the machine was with everything else (other engineers' work skews the figures).
 */
export class PhaseMeter {
  private readonly start = Date.now();
  private readonly serverCpu0: number;
  private readonly genCpu0: number[];
  private readonly machine0 = machineCpu();
  private peakRss = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly serverPid: number,
    private readonly genPids: number[],
  ) {
    this.serverCpu0 = cpuSeconds(serverPid);
    this.genCpu0 = genPids.map(cpuSeconds);
    this.timer = setInterval(() => (this.peakRss = Math.max(this.peakRss, rssBytes(serverPid))), 250);
  }

  finish(): PhaseUsage {
    clearInterval(this.timer);
    const seconds = (Date.now() - this.start) / 1000;
    const server = cpuSeconds(this.serverPid) - this.serverCpu0;
    const gens = this.genPids.reduce((s, pid, i) => s + cpuSeconds(pid) - this.genCpu0[i]!, 0);
    const m = machineCpu();
    const machineBusy = m.busy - this.machine0.busy;
    const cores = (m.total - this.machine0.total) / seconds;
    return {
      seconds,
      serverCpuPct: (100 * server) / seconds,
      loadgenCpuPct: (100 * gens) / seconds,
      // Everything else on the machine (incl. PostgreSQL backends when the database is PostgreSQL).
      otherCpuPct: Math.max(0, (100 * (machineBusy - server - gens)) / seconds),
      machineCores: Math.round(cores),
      serverPeakRss: Math.max(this.peakRss, rssBytes(this.serverPid)),
    };
  }
}

export interface PhaseUsage {
  seconds: number;
  /** 100 = one core fully busy. */
  serverCpuPct: number;
  loadgenCpuPct: number;
  otherCpuPct: number;
  machineCores: number;
  serverPeakRss: number;
}
