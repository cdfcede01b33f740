/**
 * Preloaded (`--import`) into every server the bench runs, ours and the baselines alike, so that
 * none of them needs a debug hook in its own code: over the IPC channel the bench asks for a
 * full GC (the process runs with --expose-gc) and gets `process.memoryUsage()` back.
 */
if (process.send) {
  process.on('message', (msg: unknown) => {
    if ((msg as { type?: string } | null)?.type !== 'bench:probe') return;
    // Two passes: the first can leave weak/finalizable objects for the second.
    globalThis.gc?.();
    globalThis.gc?.();
    const m = process.memoryUsage();
    process.send?.({ type: 'bench:probe', rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers });
  });
  // The channel must not keep the server alive on its own (graceful shutdown still exits).
  process.channel?.unref();
}
