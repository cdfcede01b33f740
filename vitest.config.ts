import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  test: {
    projects: [
      {
        // Server: real sockets against a real database (PGlite; PostgreSQL when DATABASE_URL is set).
        test: {
          name: 'server',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          exclude: ['tests/integration/floods.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 60_000,
          // Two files at a time, also on 2 cores: most of a file's time is spent waiting (sockets,
          // restarts, the database's thread), so the pair overlaps well.
          maxWorkers: 2,
        },
      },
      {
        // Latency under a flood (#4) is measured with nothing else running: after the other
        // projects (a later group), one file at a time. Beside other test files on 2 cores, their
        // bursts alone moved the bystander's p99 by 100 ms.
        test: {
          name: 'server-timing',
          include: ['tests/integration/floods.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // Extension stores and components, with WXT's in-memory browser APIs.
        plugins: [WxtVitest(), vue()],
        test: {
          name: 'extension',
          include: ['tests/extension/**/*.test.ts'],
          environment: 'happy-dom',
          maxWorkers: 2,
        },
      },
      {
        // The built extension and widget in Debian's Chromium against a real server.
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One browser at a time, after everything else (a group of its own): Chromium, the
          // extension and a server process take both cores.
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
