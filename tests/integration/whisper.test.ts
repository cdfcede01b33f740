/**
 * W1 whisper, W4 monitoring and take over. The leak proof (tests/support/whisper.ts) runs random
 * sequences on one node (PGlite, or PostgreSQL with DATABASE_URL); the multi-node variant is in
 * multinode/whisper.test.ts. Then the roles, and take over with what each side sees.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/schemas/auth';
import type { AccountSettingsView } from '../../shared/schemas/accounts';
import { hashPassword } from '../../server/src/access/passwords';
import { insertOperator } from '../../server/src/features/auth/repo';
import { api, collect, Harness, loginOk, newClientId, waitFor, type TestServer } from '../support/server';
import { runWhisperScenario, whisperSteps, type Staff } from '../support/whisper';

const h = new Harness();
afterEach(() => h.closeAll());

/** A member of the account's team with `role`, signed in, with a connected panel socket. */
async function member(server: TestServer, accountId: string, name: string, role: Role): Promise<Staff & { token: string }> {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
  const row = await insertOperator(server.app.ctx.db, accountId, { email, name, role, passwordHash: await hashPassword('correct horse battery') });
  if (!row) throw new Error('member: email taken');
  const { token } = await loginOk(server.url, email, 'correct horse battery');
  return { id: row.id, name, token, socket: await h.connectOperator(server, token) };
}

async function team(server: TestServer) {
  const admin = await h.operator(server, { name: 'Olivia Admin' });
  const olivia: Staff & { token: string } = { id: admin.admin.id, name: 'Olivia Admin', token: admin.token, socket: admin.socket };
  const otto = await member(server, admin.account.id, 'Otto Operator', 'operator');
  const sue = await member(server, admin.account.id, 'Sue Supervisor', 'supervisor');
  // Many chats a run (and a failing run's shrinking) stay within everyone's limit.
  await server.app.ctx.db.execute(sql`UPDATE operators SET max_chats = 1000 WHERE account_id = ${admin.account.id}`);
  return { accountId: admin.account.id, olivia, otto, sue };
}

/** A visitor's chat accepted by `by`. */
async function chatWith(server: TestServer, accountId: string, by: Staff) {
  const visitor = await h.connectVisitor(server, accountId);
  const started = await visitor.socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Hello?' });
  if (!started.ok) throw new Error('chat:start failed');
  const conversationId = started.data.conversation.id;
  expect((await by.socket.emitWithAck('chat:accept', { conversationId })).ok).toBe(true);
  return { visitor, conversationId };
}

const code = (res: { ok: boolean; error?: { code: string } }) => (res.ok ? 'ok' : res.error!.code);

describe('whispers never reach the visitor (W1), by any path', { timeout: 120_000 }, () => {
  it('random chats with whispers, notes, transfers, take-overs, reconnects, reloads and a transcript', async () => {
    const server = await h.server();
    const { accountId, olivia, otto, sue } = await team(server);
    const opened: { disconnect(): unknown }[] = [];
    await fc.assert(
      fc.asyncProperty(whisperSteps, (steps) =>
        runWhisperScenario(
          { accountId, visitorUrls: [server.url], adminToken: olivia.token, restUrl: server.url, otto, sue, olivia, opened: opened as never },
          steps,
        ),
      ),
      { numRuns: 6, seed: Number(process.env.WHISPER_SEED ?? 0x5eed) },
    );
    for (const s of opened) s.disconnect();
  });
});

describe('monitoring, whisper and take over (W4, W1)', { timeout: 60_000 }, () => {
  it('refuses an operator without the right, and allows monitoring and whispers once the account lets operators monitor', async () => {
    const server = await h.server();
    const { accountId, olivia, otto, sue } = await team(server);
    const oscar = await member(server, accountId, 'Oscar Operator', 'operator');
    const { visitor, conversationId } = await chatWith(server, accountId, otto);

    // Not Oscar's chat, and operators may not monitor by default.
    expect(code(await oscar.socket.emitWithAck('chat:monitor', {}))).toBe('forbidden');
    expect(code(await oscar.socket.emitWithAck('chat:watch', { conversationId }))).toBe('forbidden');
    expect(code(await oscar.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'psst', internal: true }))).toBe('forbidden');
    expect(code(await oscar.socket.emitWithAck('chat:takeover', { conversationId }))).toBe('forbidden');
    // The chat's own operator whispers back without any right beyond it.
    expect(code(await otto.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'note to self', internal: true }))).toBe('ok');
    // Supervisors and admins may.
    expect(code(await sue.socket.emitWithAck('chat:monitor', {}))).toBe('ok');
    expect(code(await olivia.socket.emitWithAck('chat:watch', { conversationId }))).toBe('ok');

    // Only an admin changes the setting; then operators monitor and whisper, but still don't take over.
    expect((await api(server.url, 'PATCH', '/api/account/settings', { operatorsMayMonitor: true }, sue.token)).status).toBe(403);
    const patched = await api<AccountSettingsView>(server.url, 'PATCH', '/api/account/settings', { operatorsMayMonitor: true }, olivia.token);
    expect(patched.body.operatorsMayMonitor).toBe(true);
    expect((await api<AccountSettingsView>(server.url, 'GET', '/api/account/settings', undefined, oscar.token)).body.operatorsMayMonitor).toBe(true);
    const list = await oscar.socket.emitWithAck('chat:monitor', {});
    expect(list.ok && list.data.map((c) => [c.conversation.id, c.conversation.operatorName])).toEqual([[conversationId, 'Otto Operator']]);
    expect(code(await oscar.socket.emitWithAck('chat:watch', { conversationId }))).toBe('ok');
    expect(code(await oscar.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'psst', internal: true }))).toBe('ok');
    expect(code(await oscar.socket.emitWithAck('chat:takeover', { conversationId }))).toBe('forbidden');

    // A whisper carries no file; a visitor can't send one (the field is not theirs: a plain message).
    const fileWhisper = await sue.socket.emitWithAck('message:send', {
      conversationId,
      clientId: newClientId(),
      body: 'x',
      internal: true,
      fileId: randomUUID(),
    });
    expect(code(fileWhisper)).toBe('validation_failed');
    const fromVisitor = await visitor.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'hi', internal: true } as never);
    expect(fromVisitor.ok && fromVisitor.data.visibility).toBe(undefined);
    // Another account's chat is not found, whoever asks.
    const other = await h.operator(server, { account: 'Other', name: 'Ozzy' });
    expect(code(await other.socket.emitWithAck('chat:watch', { conversationId }))).toBe('not_found');
    expect(code(await other.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'x', internal: true }))).toBe('not_found');
    expect(code(await other.socket.emitWithAck('chat:takeover', { conversationId }))).toBe('not_found');
  });

  it('monitors live: the operator sees who watches, whispers both ways reach every operator in line, and a take over moves the chat with nothing lost', async () => {
    const server = await h.server();
    const { accountId, olivia, otto, sue } = await team(server);
    const { visitor, conversationId } = await chatWith(server, accountId, otto);
    const toVisitor = collect(visitor.socket, 'message:sent');
    const visitorChats = collect(visitor.socket, 'chat:updated');
    const visitorTyping = collect(visitor.socket, 'typing:updated');
    await visitor.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'My order is late' });

    // The monitor list: the chat, its operator; nobody watching yet.
    const list = await sue.socket.emitWithAck('chat:monitor', {});
    expect(list.ok && list.data).toEqual([
      expect.objectContaining({ conversation: expect.objectContaining({ id: conversationId, operatorName: 'Otto Operator' }), watchers: [] }),
    ]);

    // Sue opens it: she gets its history; Otto is told she watches.
    const watchers = waitFor(otto.socket, 'chat:watchers', (w) => w.watchers.length === 1);
    const watched = await sue.socket.emitWithAck('chat:watch', { conversationId });
    expect(watched.ok && watched.data.messages.map((m) => m.body)).toEqual(['Hello?', 'Otto Operator joined the chat', 'My order is late']);
    expect((await watchers).watchers).toEqual([{ operatorId: sue.id, name: 'Sue Supervisor' }]);
    const both = waitFor(otto.socket, 'chat:watchers', (w) => w.watchers.length === 2);
    await olivia.socket.emitWithAck('chat:watch', { conversationId });
    expect((await both).watchers.map((w) => w.name)).toEqual(['Olivia Admin', 'Sue Supervisor']);
    const listed = await sue.socket.emitWithAck('chat:monitor', {});
    expect(listed.ok && listed.data[0]!.watchers.map((w) => w.name)).toEqual(['Olivia Admin', 'Sue Supervisor']);

    // Sue whispers: Otto and Olivia get it in line, flagged and named; the visitor nothing.
    const atOtto = waitFor(otto.socket, 'message:sent', (m) => m.body === 'Offer the refund');
    const atOlivia = waitFor(olivia.socket, 'message:sent', (m) => m.body === 'Offer the refund');
    const typingAtOtto = waitFor(otto.socket, 'typing:updated', (t) => t.internal === true);
    await sue.socket.emitWithAck('typing:set', { conversationId, typing: true, internal: true });
    expect(await typingAtOtto).toMatchObject({ name: 'Sue Supervisor', internal: true });
    const whisper = await sue.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Offer the refund', internal: true });
    expect(whisper.ok && whisper.data).toMatchObject({ visibility: 'internal', authorName: 'Sue Supervisor', author: 'operator' });
    for (const m of [await atOtto, await atOlivia]) expect(m).toMatchObject({ visibility: 'internal', authorName: 'Sue Supervisor' });
    // Otto whispers back; Sue has it live.
    const back = waitFor(sue.socket, 'message:sent', (m) => m.body === 'Done already');
    await otto.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Done already', internal: true });
    expect((await back).visibility).toBe('internal');

    // Sue takes over: Otto is told, the visitor sees one line with her name and her as the operator.
    const told = waitFor(otto.socket, 'chat:reassigned');
    const line = waitFor(visitor.socket, 'message:sent', (m) => m.author === 'system' && m.body.includes('took over'));
    const takenOver = await sue.socket.emitWithAck('chat:takeover', { conversationId });
    expect(takenOver.ok && takenOver.data).toMatchObject({ operatorId: sue.id, operatorName: 'Sue Supervisor', status: 'active' });
    expect(await told).toMatchObject({ byName: 'Sue Supervisor', conversation: expect.objectContaining({ operatorId: sue.id }) });
    expect((await line).body).toBe('Sue Supervisor took over the chat');
    await new Promise((r) => setTimeout(r, 100));
    expect(visitorChats.at(-1)).toMatchObject({ operatorName: 'Sue Supervisor', status: 'active', operatorPresent: true });
    // One public line; the whispers never.
    expect(toVisitor.map((m) => m.body).filter((b) => !b.includes('joined'))).toEqual(['My order is late', 'Sue Supervisor took over the chat']);
    expect(visitorTyping).toEqual([]);
    expect(code(await sue.socket.emitWithAck('chat:takeover', { conversationId }))).toBe('conflict');

    // Nothing lost, and Otto keeps following it live (read access), without the right to whisper any more.
    const stillLive = waitFor(otto.socket, 'message:sent', (m) => m.body === 'Thanks Sue');
    await visitor.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Thanks Sue' });
    await stillLive;
    const history = await otto.socket.emitWithAck('chat:get', { conversationId });
    expect(history.ok && history.data.messages.map((m) => [m.body, m.visibility ?? 'public'])).toEqual([
      ['Hello?', 'public'],
      ['Otto Operator joined the chat', 'public'],
      ['My order is late', 'public'],
      ['Offer the refund', 'internal'],
      ['Done already', 'internal'],
      ['Sue Supervisor took over the chat', 'public'],
      ['Thanks Sue', 'public'],
    ]);
    expect(code(await otto.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'x', internal: true }))).toBe('forbidden');
    const visitorView = await visitor.socket.emitWithAck('chat:sync', { conversationId, afterSeq: 0 });
    expect(visitorView.ok && visitorView.data.map((m) => [m.seq, m.body])).toEqual([
      [1, 'Hello?'],
      [2, 'Otto Operator joined the chat'],
      [3, 'My order is late'],
      [4, 'Sue Supervisor took over the chat'],
      [5, 'Thanks Sue'],
    ]);

    // Sue is its operator now, not a watcher: Olivia alone watches; when her panel goes, Sue is told.
    const listAfter = await olivia.socket.emitWithAck('chat:monitor', {});
    expect(listAfter.ok && listAfter.data.find((c) => c.conversation.id === conversationId)?.watchers.map((w) => w.name)).toEqual(['Olivia Admin']);
    const gone = waitFor(sue.socket, 'chat:watchers', (w) => w.conversationId === conversationId && w.watchers.length === 0);
    olivia.socket.disconnect();
    await gone;
  });

  it('unwatching is announced, and a monitor typing in a chat not theirs is never shown to the visitor', async () => {
    const server = await h.server();
    const { accountId, otto, sue } = await team(server);
    const { visitor, conversationId } = await chatWith(server, accountId, otto);
    const visitorTyping = collect(visitor.socket, 'typing:updated');
    await sue.socket.emitWithAck('chat:watch', { conversationId });
    await sue.socket.emitWithAck('typing:set', { conversationId, typing: true });
    const left = waitFor(otto.socket, 'chat:watchers', (w) => w.watchers.length === 0);
    expect(code(await sue.socket.emitWithAck('chat:unwatch', { conversationId }))).toBe('ok');
    await left;
    // Otto's own typing still reaches the visitor; whisper typing doesn't.
    await otto.socket.emitWithAck('typing:set', { conversationId, typing: true, internal: true });
    const typed = waitFor(visitor.socket, 'typing:updated');
    await otto.socket.emitWithAck('typing:set', { conversationId, typing: true });
    expect(await typed).toMatchObject({ name: 'Otto Operator', typing: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(visitorTyping).toHaveLength(1);
    expect(visitorTyping[0]).not.toHaveProperty('internal');
  });
});
