/**
 * Preloaded (`--import`) into every server the bench runs, ours and the baselines alike, so that
 * none of them needs a debug hook in its own code. Over the IPC channel the bench asks for:
 * - `bench:probe`: a full GC (the process runs with --expose-gc), then `process.memoryUsage()`;
 * - `bench:profile` start/stop (`--profile`): a V8 CPU profile of just the steady phase, written
 *   to `file` (open it in Chrome DevTools); setup and connection storms stay out of it;
 * - `bench:stalls` start/stop: how long the event loop was held up, and by GC, during a phase.
 * It also tells, unasked, when the server's port first listens (`bench:listening`, epoch ms): the
 * storm counts from there, since /health waits in the accept queue with every reconnecting client;
 * with BENCH_PROFILE_FROM_LISTEN set a CPU profile starts at that moment.
 */
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

type BenchMessage = { type?: string; action?: 'start' | 'stop'; file?: string } | null;

let profiler: Session | null = null;
let loop: ReturnType<typeof monitorEventLoopDelay> | null = null;
let gcObserver: PerformanceObserver | null = null;
let gcPauses: number[] = [];

function stalls(action: 'start' | 'stop' | undefined): void {
  if (action === 'start') {
    loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    gcPauses = [];
    gcObserver = new PerformanceObserver((list) => gcPauses.push(...list.getEntries().map((e) => e.duration)));
    gcObserver.observe({ entryTypes: ['gc'] });
    process.send?.({ type: 'bench:stalls', action });
    return;
  }
  loop?.disable();
  gcObserver?.disconnect();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const sorted = [...gcPauses].sort((a, b) => a - b);
  process.send?.({
    type: 'bench:stalls',
    action,
    loopDelay: loop ? { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) } : null,
    gc: {
      count: sorted.length,
      totalMs: Math.round(sorted.reduce((a, b) => a + b, 0)),
      maxMs: Math.round((sorted.at(-1) ?? 0) * 10) / 10,
      over10ms: sorted.filter((d) => d > 10).length,
    },
  });
}

async function profile(msg: NonNullable<BenchMessage>): Promise<void> {
  if (msg.action === 'start') {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  } else if (profiler && msg.file) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(msg.file, JSON.stringify(profile));
    profiler.disconnect();
    profiler = null;
  }
  process.send?.({ type: 'bench:profile', action: msg.action });
}

if (process.send) {
  let heard = false;
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    this.once('listening', () => {
      if (heard) return;
      heard = true;
      process.send?.({ type: 'bench:listening', at: performance.timeOrigin + performance.now() });
      if (process.env.BENCH_PROFILE_FROM_LISTEN) void profile({ type: 'bench:profile', action: 'start' });
    });
    return listen.apply(this, args as Parameters<typeof listen>);
  } as typeof listen;
  process.on('message', (msg: BenchMessage) => {
    if (msg?.type === 'bench:profile') {
      void profile(msg);
      return;
    }
    if (msg?.type === 'bench:stalls') {
      stalls(msg.action);
      return;
    }
    if (msg?.type !== 'bench:probe') return;
    // Two passes: the first can leave weak/finalizable objects for the second.
    globalThis.gc?.();
    globalThis.gc?.();
    const m = process.memoryUsage();
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]));
    process.send?.({
      type: 'bench:probe',
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      spaces,
    });
  });
  // The channel must not keep the server alive on its own (graceful shutdown still exits).
  process.channel?.unref();
}
