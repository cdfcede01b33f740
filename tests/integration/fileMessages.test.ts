/**
 * #5 file transfer in chat (SPEC P7): a file goes through the same message path as text (seq,
 * clientId, outbox resends), and every view of the message carries the file with a working URL.
 */
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../server/src/db/schema/index';
import type { MessageView } from '../../shared/schemas/chats';
import type { FileView } from '../../shared/schemas/files';
import { ok } from '../support/ack';
import { freshTestDatabase } from '../support/db';
import { PDF, PNG, upload } from '../support/files';
import { collect, Harness, newClientId, waitFor, type TestServer } from '../support/server';

const h = new Harness();
// The migrated database every test clones, made before the first test's clock starts.
beforeAll(async () => {
  const warm = await freshTestDatabase();
  await (warm.kind === 'pglite' ? warm.pglite.close() : warm.drop());
}, 120_000);
afterEach(() => h.closeAll());

/** Server + operator + a visitor in a chat the operator accepted. */
async function activeChat(server?: TestServer) {
  server ??= await h.server();
  const op = await h.operator(server, { name: 'Olivia' });
  const { socket: visitor, session } = await h.connectVisitor(server, op.account.id);
  const started = ok(
    await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'My invoice is wrong' }),
  );
  const conversationId = started.conversation.id;
  ok(await op.socket.emitWithAck('chat:accept', { conversationId }));
  return { server, op, visitor, session, conversationId };
}

async function uploaded(server: TestServer, token: string, conversationId: string, name: string, bytes: Uint8Array): Promise<FileView> {
  const res = await upload(server.url, { token, conversationId, name, bytes });
  expect(res.status).toBe(201);
  return res.body.file;
}

/** The file as a message carries it: the same file, with a signed URL that serves its bytes. */
async function expectServed(server: TestServer, view: MessageView, file: FileView, bytes: Uint8Array) {
  expect(view.file).toEqual({ ...file, url: expect.stringMatching(new RegExp(`^/api/files/${file.id}/content\\?expires=\\d+&signature=`)) });
  const res = await fetch(`${server.url}${view.file!.url}`);
  expect(res.status).toBe(200);
  expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
}

describe('file messages (#5, P7)', () => {
  it('a visitor’s image arrives with its file in the ack, message:sent, chat:get, chat:sync and session:started', async () => {
    const { server, op, visitor, session, conversationId } = await activeChat();
    const file = await uploaded(server, session.visitorToken, conversationId, 'photo.png', PNG);
    const clientId = newClientId();

    const atOperator = waitFor(op.socket, 'message:sent', (m) => m.clientId === clientId);
    const atVisitor = waitFor(visitor, 'message:sent', (m) => m.clientId === clientId);
    const sent = ok(await visitor.emitWithAck('message:send', { conversationId, clientId, body: '', fileId: file.id }));
    expect(sent).toMatchObject({ author: 'visitor', body: '', seq: 3 });
    await expectServed(server, sent, file, PNG);
    await expectServed(server, await atOperator, file, PNG);
    await expectServed(server, await atVisitor, file, PNG);

    const got = ok(await op.socket.emitWithAck('chat:get', { conversationId }));
    await expectServed(
      server,
      got.messages.find((m) => m.clientId === clientId)!,
      file,
      PNG,
    );
    const synced = ok(await visitor.emitWithAck('chat:sync', { conversationId, afterSeq: 2 }));
    expect(synced.map((m) => m.seq)).toEqual([3]);
    await expectServed(server, synced[0]!, file, PNG);

    // A reload of the widget: the handshake's messages carry it too.
    const again = await h.connectVisitor(server, op.account.id, session.visitorToken);
    await expectServed(
      server,
      again.session.chat!.messages.find((m) => m.clientId === clientId)!,
      file,
      PNG,
    );
    // Text messages stay without the field.
    expect(got.messages[0]).not.toHaveProperty('file');
  });

  it('an operator’s file with a caption reaches the visitor, and the caption is the preview', async () => {
    const { server, op, visitor, session, conversationId } = await activeChat();
    const colleague = await h.colleague(server, op.account.id);
    const updates = collect(colleague.socket, 'chat:updated');
    const file = await uploaded(server, op.token, conversationId, 'invoice.pdf', PDF);
    const clientId = newClientId();
    const atVisitor = waitFor(visitor, 'message:sent', (m) => m.clientId === clientId);
    const sent = ok(await op.socket.emitWithAck('message:send', { conversationId, clientId, body: 'Your corrected invoice', fileId: file.id }));
    expect(sent).toMatchObject({ author: 'operator', authorName: 'Olivia', body: 'Your corrected invoice' });
    await expectServed(server, await atVisitor, file, PDF);
    expect(file).toMatchObject({ type: 'application/pdf', image: false });
    await expect.poll(() => updates.at(-1)?.preview).toBe('Your corrected invoice');

    const synced = ok(await visitor.emitWithAck('chat:sync', { conversationId, afterSeq: 0 }));
    await expectServed(server, synced.at(-1)!, file, PDF);
    void session;
  });

  it('previews a file sent without a caption as “📎 <name>”', async () => {
    const { server, op, session, visitor, conversationId } = await activeChat();
    const file = await uploaded(server, session.visitorToken, conversationId, 'receipt.pdf', PDF);
    ok(await visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: '   ', fileId: file.id }));
    const list = ok(await op.socket.emitWithAck('chat:list', {}));
    expect(list.find((c) => c.id === conversationId)).toMatchObject({ preview: '📎 receipt.pdf', lastAuthor: 'visitor' });
  });

  it('stores a resend with the same clientId once and answers it with the stored message and its file', async () => {
    const { server, op, session, visitor, conversationId } = await activeChat();
    const file = await uploaded(server, session.visitorToken, conversationId, 'photo.png', PNG);
    const clientId = newClientId();
    const received = collect(op.socket, 'message:sent');
    const payload = { conversationId, clientId, body: 'look', fileId: file.id };
    // Twice at once (the same batch) and once more after (the outbox after a reconnect).
    const [a, b] = await Promise.all([visitor.emitWithAck('message:send', payload), visitor.emitWithAck('message:send', payload)]);
    const c = await visitor.emitWithAck('message:send', payload);
    for (const res of [a, b, c]) {
      const m = ok(res);
      expect(m.seq).toBe(3);
      await expectServed(server, m, file, PNG);
    }
    const rows = await server.app.ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.clientId, clientId)));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.fileId).toBe(file.id);
    await expect.poll(() => received.filter((m) => m.clientId === clientId).length).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(received.filter((m) => m.clientId === clientId)).toHaveLength(1);
  });

  it('refuses a file of another conversation or account as not_found, and stores nothing', async () => {
    const server = await h.server();
    const mine = await activeChat(server);
    // Another visitor of the same account, and another account altogether.
    const other = await h.connectVisitor(server, mine.op.account.id);
    const otherChat = ok(await other.socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Otto', email: 'otto@example.com', question: 'hi' }));
    const theirs = await uploaded(server, other.session.visitorToken, otherChat.conversation.id, 'theirs.png', PNG);
    const foreign = await activeChat(server);
    const foreignFile = await uploaded(server, foreign.op.token, foreign.conversationId, 'foreign.pdf', PDF);

    for (const fileId of [theirs.id, foreignFile.id, crypto.randomUUID()]) {
      for (const socket of [mine.visitor, mine.op.socket] as const) {
        const res = await (socket as typeof mine.visitor).emitWithAck('message:send', {
          conversationId: mine.conversationId,
          clientId: newClientId(),
          body: '',
          fileId,
        });
        expect(res).toEqual({ ok: false, error: { code: 'not_found', message: 'File not found.' } });
      }
    }
    const stored = await server.app.ctx.db.select().from(messages).where(eq(messages.conversationId, mine.conversationId));
    expect(stored.map((m) => m.seq)).toEqual([1, 2]);
  }, 60_000);

  it('refuses an empty message without a file, and a file id that is not a uuid, as validation_failed', async () => {
    const { visitor, conversationId } = await activeChat();
    for (const payload of [
      { conversationId, clientId: newClientId(), body: '  ' },
      { conversationId, clientId: newClientId(), body: 'x', fileId: 'not-a-uuid' },
    ]) {
      const res = await visitor.emitWithAck('message:send', payload);
      expect(res.ok ? null : res.error.code).toBe('validation_failed');
    }
  });

  it('keeps the message when its file is removed: the message loses its file, nothing else', async () => {
    const { server, op, session, visitor, conversationId } = await activeChat();
    const file = await uploaded(server, session.visitorToken, conversationId, 'photo.png', PNG);
    const sent = ok(await visitor.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'my photo', fileId: file.id }));
    await server.app.ctx.db.execute(`DELETE FROM files WHERE id = '${file.id}'`);
    const got = ok(await op.socket.emitWithAck('chat:get', { conversationId }));
    const kept = got.messages.find((m) => m.seq === sent.seq)!;
    expect(kept.body).toBe('my photo');
    expect(kept).not.toHaveProperty('file');
  });
});
