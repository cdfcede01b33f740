/**
 * The chat archive (P9, #6): a closed chat is indexed by the durable job `archive.index` and found
 * by a word, the visitor, the operator, the department, the date and the rating, a page at a
 * time; never another account's; a chat open again leaves the archive and is back once closed;
 * the archive is the panel's only (the widget has no command for it).
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { operatorCommands, visitorCommands } from '../../shared/events';
import type { ArchiveSearchPayload, ArchiveSearchResult } from '../../shared/schemas/archive';
import { queryRows } from '../../server/src/db/raw';
import { archiveBackfillJob, archiveIndexJob } from '../../server/src/features/archive/job';
import { JobRunner } from '../../server/src/jobs/runner';
import { indexConversations } from '../../server/src/features/archive/repo';
import { ok } from '../support/ack';
import { until } from '../support/cluster';
import { freshTestDatabase } from '../support/db';
import { acmeWithOlivia, roomy, salesWithColin, searchArchive } from '../support/closedChats';
import { Harness, newClientId, type OperatorClient, type TestServer } from '../support/server';

const h = new Harness();
beforeAll(() => freshTestDatabase().then((d) => (d.kind === 'pglite' ? d.pglite.close() : d.drop())));
afterEach(() => h.closeAll());

const ids = (r: ArchiveSearchResult) => r.items.map((i) => i.conversationId).sort();

/** Account A: Olivia (admin) and Colin in Sales; three closed chats; account B with one of its own. */
async function archive() {
  const { server, a, chat } = await acmeWithOlivia(h);
  const { colin, sales } = await salesWithColin(h, server, a);

  // 1: Vera, in Sales, with Olivia; rated good.
  const vera = await chat({ name: 'Vera Lynn', email: 'Vera@Example.com', question: 'Do you ship to Mars?', departmentId: sales.id });
  ok(await a.socket.emitWithAck('message:send', { conversationId: vera.conversationId, clientId: newClientId(), body: 'Yes, rockets leave weekly.' }));
  ok(await a.socket.emitWithAck('chat:close', { conversationId: vera.conversationId }));
  ok(await vera.visitor.socket.emitWithAck('rating:set', { conversationId: vera.conversationId, score: 'good' }));

  // 2: Sam, handed to Colin with a note (an internal message), who closes it; rated bad.
  const sam = await chat({ name: 'Sam Stone', email: 'sam@shop.test', question: 'My order is late' });
  ok(await a.socket.emitWithAck('chat:transfer', { conversationId: sam.conversationId, operatorId: colin.operator.id, note: 'Plutonium discount approved' }));
  ok(await colin.socket.emitWithAck('chat:close', { conversationId: sam.conversationId }));
  ok(await sam.visitor.socket.emitWithAck('rating:set', { conversationId: sam.conversationId, score: 'bad' }));

  // 3: Uma, closed by the visitor, not rated.
  const uma = await chat({ name: 'Uma', email: 'uma@example.org', question: 'Where is my invoice?' });
  ok(await uma.visitor.socket.emitWithAck('chat:close', { conversationId: uma.conversationId }));

  // Account B: a chat about Mars too.
  const b = await h.operator(server, { account: 'Other', name: 'Bea' });
  const bv = await h.connectVisitor(server, b.account.id);
  const bStarted = ok(await bv.socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Mo', email: 'mo@b.test', question: 'Mars shipping?' }));
  ok(await b.socket.emitWithAck('chat:accept', { conversationId: bStarted.conversation.id }));
  ok(await b.socket.emitWithAck('chat:close', { conversationId: bStarted.conversation.id }));

  // The jobs run after commit: wait until every chat is in, with its rating.
  await until(
    async () => {
      const all = await searchArchive(a.socket, {});
      return all.items.length === 3 && all.items.filter((i) => i.rating).length === 2 && (await searchArchive(b.socket, {})).items.length === 1;
    },
    15_000,
    'the archive jobs',
  );
  return { server, a, b, colin, sales, vera, sam, uma };
}

describe('the chat archive (P9)', { timeout: 60_000 }, () => {
  it('finds a closed chat by a word, the visitor, the operator, the department, the date and the rating', async () => {
    const t = await archive();
    const s = (p: ArchiveSearchPayload) => searchArchive(t.a.socket, p);

    const mars = await s({ text: 'mars' });
    expect(ids(mars)).toEqual([t.vera.conversationId]);
    const [hit] = mars.items;
    expect(hit).toMatchObject({
      visitorName: 'Vera Lynn',
      visitorEmail: 'vera@example.com',
      operatorName: 'Olivia',
      departmentId: t.sales.id,
      departmentName: 'Sales',
      rating: 'good',
      messageCount: 2,
      snippet: { text: 'Do you ship to Mars?', internal: false },
    });
    expect(mars.next).toBeNull();
    // Any word of any message, any case; a phrase; a word left out.
    expect(ids(await s({ text: 'ROCKETS weekly' }))).toEqual([t.vera.conversationId]);
    expect((await s({ text: 'rockets' })).items[0]!.snippet.text).toBe('Yes, rockets leave weekly.');
    expect(ids(await s({ text: '"leave weekly"' }))).toEqual([t.vera.conversationId]);
    expect(ids(await s({ text: '"weekly leave"' }))).toEqual([]);
    expect(ids(await s({ text: 'order or invoice' }))).toEqual([t.sam.conversationId, t.uma.conversationId].sort());
    expect(ids(await s({ text: 'order -late' }))).toEqual([]);
    // Operators may find an internal note (they read it in the chat anyway); the snippet says it is one.
    const note = await s({ text: 'plutonium' });
    expect(ids(note)).toEqual([t.sam.conversationId]);
    expect(note.items[0]!.snippet).toEqual({ text: 'Plutonium discount approved', internal: true });
    // The visitor's name and email are words of the chat, and a prefix of either finds it.
    expect(ids(await s({ text: 'lynn' }))).toEqual([t.vera.conversationId]);
    expect(ids(await s({ visitor: 'VER' }))).toEqual([t.vera.conversationId]);
    expect(ids(await s({ visitor: 'sam@shop' }))).toEqual([t.sam.conversationId]);
    expect(ids(await s({ visitor: '%' }))).toEqual([]);
    // Operator: who had the chat when it ended.
    expect(ids(await s({ operatorId: t.colin.operator.id }))).toEqual([t.sam.conversationId]);
    expect(ids(await s({ operatorId: t.a.admin.id }))).toEqual([t.vera.conversationId, t.uma.conversationId].sort());
    expect(ids(await s({ departmentId: t.sales.id }))).toEqual([t.vera.conversationId]);
    expect(ids(await s({ rating: 'good' }))).toEqual([t.vera.conversationId]);
    expect(ids(await s({ rating: 'bad' }))).toEqual([t.sam.conversationId]);
    expect(ids(await s({ rating: 'none' }))).toEqual([t.uma.conversationId]);
    const hour = 3_600_000;
    const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
    expect(ids(await s({ closedFrom: iso(-hour), closedBefore: iso(hour) }))).toHaveLength(3);
    expect(ids(await s({ closedFrom: iso(hour) }))).toEqual([]);
    expect(ids(await s({ closedBefore: iso(-hour) }))).toEqual([]);
    // Filters together: all of them apply.
    expect(ids(await s({ text: 'mars', rating: 'bad' }))).toEqual([]);
    expect(ids(await s({ text: 'order', operatorId: t.colin.operator.id, rating: 'bad', closedFrom: iso(-hour) }))).toEqual([t.sam.conversationId]);
    // Newest first.
    expect((await s({})).items.map((i) => i.conversationId)).toEqual([t.uma.conversationId, t.sam.conversationId, t.vera.conversationId]);
    // An operator (not only admins) searches the whole account's archive.
    expect(ids(await searchArchive(t.colin.socket, { text: 'mars' }))).toEqual([t.vera.conversationId]);
  });

  it("never finds another account's chats, and refuses another account's operator, department or visitor", async () => {
    const t = await archive();
    expect(ids(await searchArchive(t.b.socket, { text: 'mars' }))).toHaveLength(1);
    expect(ids(await searchArchive(t.b.socket, { text: 'rockets' }))).toEqual([]);
    expect((await searchArchive(t.b.socket, {})).items.every((i) => ![t.vera, t.sam, t.uma].some((c) => c.conversationId === i.conversationId))).toBe(true);
    for (const payload of [
      { operatorId: t.a.admin.id },
      { departmentId: t.sales.id },
      { visitorId: (await searchArchive(t.a.socket, {})).items[0]!.visitorId },
    ]) {
      expect(await t.b.socket.emitWithAck('archive:search', payload)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
  });

  it('shows a returning visitor’s earlier chats, by visitor id and by email', async () => {
    const t = await archive();
    const [veraRow] = (await searchArchive(t.a.socket, { text: 'mars' })).items;
    // Vera comes back and starts a new chat (still open: not in the archive).
    const again = ok(
      await t.vera.visitor.socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera Lynn', email: 'vera@example.com', question: 'Me again' }),
    );
    expect(again.conversation.id).not.toBe(t.vera.conversationId);
    const earlier = await searchArchive(t.a.socket, { visitorId: veraRow!.visitorId, visitorEmail: 'VERA@example.com' });
    expect(ids(earlier)).toEqual([t.vera.conversationId]);
    // Another browser, the same email: found by the email alone.
    expect(ids(await searchArchive(t.a.socket, { visitorEmail: 'vera@example.com' }))).toEqual([t.vera.conversationId]);
  });

  it('takes a chat opened again out of the archive, and puts it back when it closes again', async () => {
    const t = await archive();
    const { db } = t.server.app.ctx;
    // Reopening (P5): the chat is active again and leaves the archive.
    ok(await t.a.socket.emitWithAck('chat:reopen', { conversationId: t.vera.conversationId }));
    await until(async () => (await searchArchive(t.a.socket, { text: 'mars' })).items.length === 0, 10_000, 'the reopened chat to leave');
    ok(await t.a.socket.emitWithAck('chat:close', { conversationId: t.vera.conversationId }));
    await until(async () => ids(await searchArchive(t.a.socket, { text: 'mars' }))[0] === t.vera.conversationId, 10_000, 'the chat back in the archive');
    // Forgetting the visitor (#4) deletes the conversation and its archive row with it.
    await db.execute(sql`DELETE FROM visitors WHERE id = (SELECT visitor_id FROM conversations WHERE id = ${t.sam.conversationId})`);
    expect(ids(await searchArchive(t.a.socket, { text: 'plutonium' }))).toEqual([]);
  });

  it('indexes a close, a rating and a reopening even if the process dies right after their commit (the job is in their transaction)', async () => {
    const server = await h.server({ ...roomy, jobs: { concurrency: 0 } });
    const a = await h.operator(server);
    const { ctx } = server.app;
    // The process "dies" right after each commit: nothing published after commit ever runs.
    ctx.events.publish = () => undefined;
    const visitor = await h.connectVisitor(server, a.account.id);
    const started = ok(await visitor.socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'v@example.com', question: 'Mars?' }));
    const conversationId = started.conversation.id;
    ok(await a.socket.emitWithAck('chat:accept', { conversationId }));
    const jobsOf = async () =>
      (
        await queryRows<{ n: number }>(
          ctx.db,
          sql`SELECT count(*)::int AS n FROM jobs WHERE kind = 'archive.index' AND payload->>'conversationId' = ${conversationId} AND status = 'pending'`,
        )
      )[0]!.n;
    ok(await a.socket.emitWithAck('chat:close', { conversationId }));
    expect(await jobsOf()).toBe(1);
    ok(await visitor.socket.emitWithAck('rating:set', { conversationId, score: 'good' }));
    expect(await jobsOf()).toBe(2);
    // A node that runs jobs (the restarted process) indexes it, rating and all.
    const runner = new JobRunner(ctx.db, ctx.log, { concurrency: 1, soleProcess: false });
    runner.register(archiveIndexJob, archiveBackfillJob);
    runner.start(ctx);
    try {
      await until(async () => (await searchArchive(a.socket, { text: 'mars' })).items[0]?.rating === 'good', 10_000, 'the chat indexed by the jobs');
      ok(await a.socket.emitWithAck('chat:reopen', { conversationId }));
      expect(await jobsOf()).toBe(1);
      await until(async () => (await searchArchive(a.socket, { text: 'mars' })).items.length === 0, 10_000, 'the reopened chat to leave the archive');
    } finally {
      await runner.close();
    }
  });

  it('pages through many chats closed at the same moment without losing or repeating one', async () => {
    const server = await h.server(roomy);
    const a = await h.operator(server);
    const { db } = server.app.ctx;
    const [visitor] = await queryRows<{ id: string }>(db, sql`INSERT INTO visitors (account_id) VALUES (${a.account.id}) RETURNING id`);
    const made = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO conversations (account_id, visitor_id, status, visitor_name, visitor_email, closed_at)
          SELECT ${a.account.id}, ${visitor!.id}, 'closed', 'Pat ' || g, 'pat@example.com', '2026-11-30T12:00:00.123456Z'
          FROM generate_series(1, 45) g RETURNING id`,
    );
    expect(
      await indexConversations(
        db,
        a.account.id,
        made.map((m) => m.id),
      ),
    ).toEqual({ indexed: 45, removed: 0 });
    const seen: string[] = [];
    let cursor: ArchiveSearchPayload['cursor'];
    for (let page = 0; page < 5; page++) {
      const res = await searchArchive(a.socket, { visitor: 'pat', ...(cursor ? { cursor } : {}) });
      seen.push(...res.items.map((i) => i.conversationId));
      if (!res.next) break;
      cursor = res.next;
    }
    expect(seen).toHaveLength(45);
    expect(new Set(seen)).toEqual(new Set(made.map((m) => m.id)));
  });

  it('is for operators only, and refuses bad filters with validation_failed', async () => {
    const server = await h.server(roomy);
    const a = await h.operator(server);
    const visitor = await h.connectVisitor(server, a.account.id);
    expect(Object.keys(operatorCommands)).toContain('archive:search');
    expect(Object.keys(visitorCommands)).not.toContain('archive:search');
    // The widget's namespace has no such command: nothing answers it.
    await expect((visitor.socket.timeout(1_000) as unknown as OperatorClient).emitWithAck('archive:search', {})).rejects.toThrow();
    const now = new Date().toISOString();
    for (const bad of [
      { text: 'x'.repeat(201) },
      { rating: 'meh' },
      { closedFrom: 'yesterday' },
      { closedFrom: now, closedBefore: new Date(Date.now() - 60_000).toISOString() },
      { visitorEmail: 'not an email' },
      { operatorId: 'nobody' },
      { cursor: { closedAtMicros: '-1', id: 'x' } },
    ]) {
      expect(await a.socket.emitWithAck('archive:search', bad as ArchiveSearchPayload), JSON.stringify(bad)).toMatchObject({
        ok: false,
        error: { code: 'validation_failed' },
      });
    }
    // A query of only excluded words or punctuation searches nothing (all chats), rather than failing.
    expect(await a.socket.emitWithAck('archive:search', { text: '-- !!' })).toMatchObject({ ok: true, data: { items: [] } });
  });
});

export type { TestServer };
