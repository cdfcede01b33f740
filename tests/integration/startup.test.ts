/** #5: starting `npm run serve` where it can't listen says why in one line, and exits 1. */
import fs from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { MIGRATIONS_DIR, openDatabase } from '../../server/src/db/client';
import { LOCK_FILE } from '../../server/src/db/lock';
import { queryRows } from '../../server/src/db/raw';
import { freshDatabase } from '../support/cluster';
import { seededDataDir } from '../support/db';
import { runNode } from '../support/process';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function listenOnAnyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      cleanups.push(() => new Promise((r) => server.close(r)));
      resolve({ server, port: (server.address() as { port: number }).port });
    });
  });
}

describe('a busy port', () => {
  it('prints one clear line (no stack trace), exits with 1 and releases the data dir', async () => {
    const { port } = await listenOnAnyPort();
    const dataDir = await seededDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'sidedesk-port-')));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    const child = runNode('server/src/index.ts', [], {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      LOG_LEVEL: 'error',
    });
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    expect(code, out).toBe(1);
    expect(out.trim()).toBe(`Port ${port} is in use — stop the other server or set PORT to a free port (PORT=3000 npm start).`);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  }, 120_000);
});

describe.runIf(process.env.DATABASE_URL)('several nodes starting at once on a new PostgreSQL database', () => {
  it('migrate it once: the others wait for the first and find every migration applied', async () => {
    const fresh = await freshDatabase('sidedesk_migrate');
    const nodes = await Promise.all([1, 2, 3].map(() => openDatabase({ url: fresh.url })));
    try {
      await Promise.all(nodes.map((n) => n.migrate()));
      const [row] = await queryRows<{ n: number }>(nodes[0]!.db, sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
      expect(row?.n).toBe(fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length);
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
      await fresh.drop();
    }
  });
});
