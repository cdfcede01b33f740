/**
 * W1 leak proof on two nodes behind Redis (tests/support/whisper.ts): the visitor's sockets
 * alternate between the nodes, Otto's panel is on node B, Sue's and Olivia's on node A, so every
 * whisper, watcher, take over and typing crosses the adapter. Fewer runs than the one-node file.
 * Needs PostgreSQL and redis-server on loopback (as cluster.test.ts).
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { OPERATOR_NAMESPACE } from '../../../shared/events';
import type { Role } from '../../../shared/schemas/auth';
import { hashPassword } from '../../../server/src/access/passwords';
import { openDatabase, type Database } from '../../../server/src/db/client';
import { queryRows } from '../../../server/src/db/raw';
import { insertOperator } from '../../../server/src/features/auth/repo';
import {
  login,
  multiNodeSkipReason,
  postgresBackend,
  setupAccount,
  startNode,
  startRedis,
  type Backend,
  type RedisProcess,
  type SidedeskNode,
} from '../../support/cluster';
import type { OperatorClient } from '../../support/server';
import { runWhisperScenario, whisperSteps, type Staff } from '../../support/whisper';

const reason = await multiNodeSkipReason();

describe.skipIf(reason !== '')(`whispers on two nodes behind Redis ${reason ? `(skipped: ${reason})` : ''}`, () => {
  let redis: RedisProcess;
  let backend: Backend;
  let database: Database;
  let a: SidedeskNode;
  let b: SidedeskNode;
  const sockets: { disconnect(): unknown }[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    backend = await postgresBackend();
    [a, b] = await Promise.all([startNode(backend, { REDIS_URL: redis.url }), startNode(backend, { REDIS_URL: redis.url })]);
    database = await openDatabase({ url: backend.env.DATABASE_URL! });
  }, 60_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await database?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await backend?.cleanup();
  });

  function panel(url: string, token: string): Promise<OperatorClient> {
    const socket: OperatorClient = io(`${url}${OPERATOR_NAMESPACE}`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }

  async function member(accountId: string, name: string, role: Role, url: string): Promise<Staff> {
    const email = `${role}@example.com`;
    const row = await insertOperator(database.db, accountId, { email, name, role, passwordHash: await hashPassword('correct horse battery') });
    if (!row) throw new Error('member: email taken');
    return { id: row.id, name, socket: await panel(url, await login(url, email, 'correct horse battery')) };
  }

  it('never lets a whisper reach the visitor, whichever node each side is on', { timeout: 120_000 }, async () => {
    const account = await setupAccount(backend.env);
    const adminToken = await login(a.url, account.email, account.password);
    // The admin setup created, renamed so the scenario can look for a name of its own.
    const [admin] = await queryRows<{ id: string }>(database.db, sql`UPDATE operators SET name = 'Olivia Admin' WHERE email = ${account.email} RETURNING id`);
    const olivia: Staff = { id: admin!.id, name: 'Olivia Admin', socket: await panel(a.url, adminToken) };
    const otto = await member(account.accountId, 'Otto Operator', 'operator', b.url);
    const sue = await member(account.accountId, 'Sue Supervisor', 'supervisor', a.url);
    await database.db.execute(sql`UPDATE operators SET max_chats = 1000 WHERE account_id = ${account.accountId}`);
    await fc.assert(
      fc.asyncProperty(whisperSteps, (steps) =>
        runWhisperScenario(
          { accountId: account.accountId, visitorUrls: [a.url, b.url], adminToken, restUrl: b.url, otto, sue, olivia, opened: sockets as never },
          steps,
        ),
      ),
      { numRuns: 3, seed: Number(process.env.WHISPER_SEED ?? 0x5eed) },
    );
  });
});
