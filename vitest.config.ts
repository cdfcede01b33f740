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
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Extension stores and components, with WXT's in-memory browser APIs.
        plugins: [WxtVitest(), vue()],
        test: {
          name: 'extension',
          include: ['tests/extension/**/*.test.ts'],
          environment: 'happy-dom',
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
          fileParallelism: false,
        },
      },
    ],
  },
});
