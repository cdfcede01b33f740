/**
 * Preloaded (`--import`) into every server the bench runs, ours and the baselines alike, so that
 * none of them needs a debug hook in its own code. Over the IPC channel the bench asks for:
 * - `bench:probe`: a full GC (the process runs with --expose-gc), then `process.memoryUsage()`;
 * - `bench:profile` start/stop (`--profile`): a V8 CPU profile of just the steady phase, written
 *   to `file` (open it in Chrome DevTools); setup and connection storms stay out of it.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { getHeapSpaceStatistics } from 'node:v8';

type BenchMessage = { type?: string; action?: 'start' | 'stop'; file?: string } | null;

let profiler: Session | null = null;

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
  process.on('message', (msg: BenchMessage) => {
    if (msg?.type === 'bench:profile') {
      void profile(msg);
      return;
    }
    if (msg?.type !== 'bench:probe') return;
    // Two passes: the first can leave weak/finalizable objects for the second.
    globalThis.gc?.();
    globalThis.gc?.();
    const m = process.memoryUsage();
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]));
    process.send?.({ type: 'bench:probe', rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, spaces });
  });
  // The channel must not keep the server alive on its own (graceful shutdown still exits).
  process.channel?.unref();
}
