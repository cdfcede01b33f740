/**
 * W1 leak proof on two nodes behind Redis (tests/support/whisper.ts): the visitor's sockets
 * alternate between the nodes, Otto's panel is on node B, Sue's and Olivia's on node A, so every
 * whisper, watcher, take over and typing crosses the adapter. Fewer runs than the one-node file.
 * Needs PostgreSQL and redis-server on loopback (as cluster.test.ts).
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { queryRows } from '../../../server/src/db/raw';
import { login, multiNodeSkipReason, setupAccount, startTwoNodes, type TwoNodes } from '../../support/cluster';
import { runWhisperScenario, whisperSteps, type Staff } from '../../support/whisper';

const reason = await multiNodeSkipReason();

describe.skipIf(reason !== '')(`whispers on two nodes behind Redis ${reason ? `(skipped: ${reason})` : ''}`, () => {
  let nodes: TwoNodes;

  beforeAll(async () => {
    nodes = await startTwoNodes();
  }, 60_000);

  afterAll(() => nodes?.stop());

  it('never lets a whisper reach the visitor, whichever node each side is on', { timeout: 120_000 }, async () => {
    const { a, b, database, panel, member, sockets } = nodes;
    const account = await setupAccount(nodes.backend.env);
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
