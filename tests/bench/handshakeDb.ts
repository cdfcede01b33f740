/**
 * `node --import tsx tests/bench/handshakeDb.ts [N]`: the database side of N widget handshakes of
 * returning visitors (#4: the reconnect storm), alone and on a quiet process: wall and CPU time
 * (this process's, PGlite's thread included) per handshake through VisitorConnector, with 1, 8 and
 * 256 handshakes arriving at once, and the statements they took. PGlite in a temporary directory,
 * or the PostgreSQL database DATABASE_URL names (its backend's CPU is not counted then).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../server/src/db/client';
import { insertAccount } from '../../server/src/features/accounts/repo';
import { VisitorConnector } from '../../server/src/features/visitors/connector';
import { createLogger } from '../../server/src/log';

const n = Number(process.argv[2] ?? 2000);
const dir = mkdtempSync(path.join(os.tmpdir(), 'sidedesk-handshakes-'));
const database = process.env.DATABASE_URL ? await openDatabase({ url: process.env.DATABASE_URL }) : await openDatabase({ dataDir: dir });
try {
  await database.migrate();
  const account = await insertAccount(database.db, 'Handshakes');
  const origin = { ip: '127.0.0.1', country: null, region: null, city: null, userAgent: 'bench', browser: 'Chrome', platform: 'Linux' };
  const request = (claimedVisitorId: string | null) => ({ accountId: account.id, claimedVisitorId, origin, known: null, pageSize: 50 });
  const setup = new VisitorConnector(database, createLogger('warn'));
  const ids = (await Promise.all(Array.from({ length: n }, () => setup.connect(request(null))))).map((c) => c.visitor.id);
  for (const parallel of [1, 8, 256]) {
    const connector = new VisitorConnector(database, createLogger('warn'), { maxInFlight: database.kind === 'postgres' ? 2 : 1 });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let next = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < n) await connector.connect(request(ids[next++]!));
      }),
    );
    const c = process.cpuUsage(c0);
    const { statements } = connector.stats;
    console.log(
      `${n} handshakes, ${parallel} at once: ${((performance.now() - t0) / n).toFixed(3)} ms wall, ${((c.user + c.system) / 1000 / n).toFixed(3)} ms CPU each; ${statements} statements (${(statements / n).toFixed(3)} a handshake)`,
    );
  }
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
