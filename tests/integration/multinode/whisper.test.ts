/**
 * W1 leak proof on two nodes behind Redis (tests/support/whisper.ts): the visitor's sockets
 * alternate between the nodes, Otto's panel is on node B, Sue's and Olivia's on node A, so every
 * whisper, watcher, take over, typing and internal chat message (W2, W3) crosses the adapter.
 * Fewer runs than the one-node file. Then internal chats delivered live from node A to node B.
 * Needs PostgreSQL and redis-server on loopback (as cluster.test.ts).
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VISITOR_NAMESPACE } from '../../../shared/events';
import { queryRows } from '../../../server/src/db/raw';
import { login, multiNodeSkipReason, setupAccount, startTwoNodes, type TwoNodes } from '../../support/cluster';
import { newClientId, waitFor, type VisitorClient } from '../../support/server';
import { runWhisperScenario, whisperSteps, type Staff } from '../../support/whisper';

const reason = await multiNodeSkipReason();

describe.skipIf(reason !== '')(`whispers on two nodes behind Redis ${reason ? `(skipped: ${reason})` : ''}`, () => {
  let nodes: TwoNodes;

  beforeAll(async () => {
    nodes = await startTwoNodes();
  }, 60_000);

  afterAll(() => nodes?.stop());

  /** The account and its staff, made once for both tests: Olivia and Sue on node A, Otto on node B. */
  let made: ReturnType<typeof makeTeam> | null = null;
  const team = () => (made ??= makeTeam());
  async function makeTeam() {
    const { a, b, database, panel, member } = nodes;
    const account = await setupAccount(nodes.backend.env);
    const adminToken = await login(a.url, account.email, account.password);
    // The admin setup created, renamed so the scenario can look for a name of its own.
    const [admin] = await queryRows<{ id: string }>(database.db, sql`UPDATE operators SET name = 'Olivia Admin' WHERE email = ${account.email} RETURNING id`);
    const olivia: Staff = { id: admin!.id, name: 'Olivia Admin', socket: await panel(a.url, adminToken) };
    const otto = await member(account.accountId, 'Otto Operator', 'operator', b.url);
    const sue = await member(account.accountId, 'Sue Supervisor', 'supervisor', a.url);
    await database.db.execute(sql`UPDATE operators SET max_chats = 1000 WHERE account_id = ${account.accountId}`);
    return { account, adminToken, olivia, otto, sue };
  }

  it('never lets a whisper (nor an internal chat message) reach the visitor, whichever node each side is on', { timeout: 120_000 }, async () => {
    const { a, b, sockets } = nodes;
    const { account, adminToken, olivia, otto, sue } = await team();
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

  it('delivers internal chats across the nodes (W2, W3): messages, typing, read state, and Respond on a whisper', { timeout: 60_000 }, async () => {
    const { a, sockets } = nodes;
    const { account, sue, otto } = await team();
    // Sue's panel is on node A, Otto's on node B.
    const started = await sue.socket.emitWithAck('teamchat:start', { operatorId: otto.id });
    if (!started.ok) throw new Error(started.error.message);
    const teamChatId = started.data.chat.id;
    const atOtto = waitFor(otto.socket, 'teamchat:sent', (e) => e.message.body === 'from node A');
    const sent = await sue.socket.emitWithAck('teamchat:send', { teamChatId, clientId: newClientId(), body: 'from node A' });
    expect(sent.ok).toBe(true);
    expect((await atOtto).chat.id).toBe(teamChatId);
    const typing = waitFor(sue.socket, 'teamchat:typed');
    await otto.socket.emitWithAck('teamchat:type', { teamChatId, typing: true });
    expect(await typing).toMatchObject({ teamChatId, operatorId: otto.id, typing: true });
    const seen = waitFor(sue.socket, 'teamchat:updated', (c) => c.members.some((m) => m.operatorId === otto.id && m.readSeq >= 1));
    await otto.socket.emitWithAck('teamchat:read', { teamChatId, seq: 1 });
    await seen;

    // W2: Sue (A) whispers into Otto's chat; Otto (B) responds; Sue gets the quote on A.
    const visitor: VisitorClient = io(`${a.url}${VISITOR_NAMESPACE}`, {
      auth: { accountId: account.accountId },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    sockets.push(visitor);
    await new Promise((resolve) => visitor.once('session:started', resolve));
    const chat = await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera-nodes@example.com', question: 'Hello' });
    if (!chat.ok) throw new Error(chat.error.message);
    const conversationId = chat.data.conversation.id;
    expect((await otto.socket.emitWithAck('chat:accept', { conversationId })).ok).toBe(true);
    const whisper = await sue.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'ask for the order number', internal: true });
    if (!whisper.ok) throw new Error(whisper.error.message);
    const quoted = waitFor(sue.socket, 'teamchat:sent', (e) => e.message.ref?.seq === whisper.data.seq);
    const responded = await otto.socket.emitWithAck('teamchat:respond', { conversationId, seq: whisper.data.seq, clientId: newClientId() });
    expect(responded.ok && responded.data.chat.id).toBe(teamChatId);
    expect((await quoted).message.ref).toMatchObject({ conversationId, quote: 'ask for the order number', authorName: 'Sue Supervisor' });
    await otto.socket.emitWithAck('chat:close', { conversationId });
  });
});
