/**
 * End of chat (V2, #5): the visitor ends the chat, rates it (once, changeable for a few minutes)
 * and asks for the transcript by email. Operators see the rating live; the transcript carries the
 * public messages only, escaped in its HTML part; the mail is rate-limited per visitor and per
 * recipient address.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../server/src/db/raw';
import { transcriptSendJob } from '../../server/src/features/transcripts/job';
import type { RatingView } from '../../shared/schemas/ratings';
import { ok } from '../support/ack';
import { until } from '../support/cluster';
import { freshTestDatabase } from '../support/db';
import { PDF, upload } from '../support/files';
import { api, collect, Harness, newClientId, waitFor, type TestServer } from '../support/server';
import { startSmtp, type TestSmtp } from '../support/smtp';

const h = new Harness();
// The file's first database makes the migrated dump (slow on a busy machine): before the tests' clocks start.
beforeAll(() => freshTestDatabase().then((d) => (d.kind === 'pglite' ? d.pglite.close() : d.drop())));
const smtps: TestSmtp[] = [];
afterEach(async () => {
  await h.closeAll();
  for (const s of smtps.splice(0)) await s.stop();
});

const XSS = '<img src=x onerror=alert(1)> & "quotes"';

/** Server + operator + a visitor whose chat the operator accepted. */
async function activeChat(server?: TestServer) {
  server ??= await h.server();
  const op = await h.operator(server, { account: 'Acme Rockets', name: 'Olivia' });
  const visitor = await h.connectVisitor(server, op.account.id);
  const started = ok(
    await visitor.socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'vera@example.com', question: 'Do you ship to Mars?' }),
  );
  const conversationId = started.conversation.id;
  ok(await op.socket.emitWithAck('chat:accept', { conversationId }));
  return { server, op, visitor, conversationId };
}

async function endedChat(server?: TestServer) {
  const chat = await activeChat(server);
  ok(await chat.visitor.socket.emitWithAck('chat:close', { conversationId: chat.conversationId }));
  return chat;
}

describe('the visitor ends the chat (V2)', () => {
  it('closes it from the widget: the operator sees it closed live, with a note saying who ended it', async () => {
    const { op, visitor, conversationId } = await activeChat();
    const updated = waitFor(op.socket, 'chat:updated', (c) => c.id === conversationId && c.status === 'closed');
    const note = waitFor(op.socket, 'message:sent', (m) => m.conversationId === conversationId && m.author === 'system');
    const visitorSide = waitFor(visitor.socket, 'chat:updated', (c) => c.status === 'closed');

    const closed = ok(await visitor.socket.emitWithAck('chat:close', { conversationId }));
    expect(closed).toMatchObject({ id: conversationId, status: 'closed', operatorName: 'Olivia', lastSeq: 3 });
    expect(await updated).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect((await note).body).toBe('Vera closed the chat');
    expect(await visitorSide).toEqual(closed);
    // Ending it again changes nothing.
    expect(ok(await visitor.socket.emitWithAck('chat:close', { conversationId }))).toEqual(closed);
  });
});

describe('rating an ended chat (V2)', () => {
  it('is refused while the chat is open, then stored and shown to the operators live', async () => {
    const { op, visitor, conversationId } = await activeChat();
    expect(await visitor.socket.emitWithAck('rating:set', { conversationId, score: 'good' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(ok(await op.socket.emitWithAck('rating:get', { conversationId }))).toBeNull();

    ok(await visitor.socket.emitWithAck('chat:close', { conversationId }));
    const live = waitFor(op.socket, 'rating:updated', (r) => r.conversationId === conversationId);
    const before = Date.now();
    const rated = ok(await visitor.socket.emitWithAck('rating:set', { conversationId, score: 'good', comment: `  Quick and kind ${XSS}  ` }));
    expect(rated).toEqual({
      conversationId,
      score: 'good',
      comment: `Quick and kind ${XSS}`,
      ratedAt: expect.any(String),
      changeableUntil: expect.any(String),
    });
    // Changeable for ten minutes from the first rating.
    expect(Date.parse(rated.changeableUntil) - before).toBeGreaterThan(9.9 * 60_000);
    expect(Date.parse(rated.changeableUntil) - before).toBeLessThan(10.1 * 60_000);
    expect(await live).toEqual(rated);
    expect(ok(await op.socket.emitWithAck('rating:get', { conversationId }))).toEqual(rated);
  });

  it('keeps one rating per chat: changed within the window (the comment after the thumb), final after it', async () => {
    const { server, op, visitor, conversationId } = await endedChat();
    const seen = collect(op.socket, 'rating:updated');
    const otherTab = await h.connectVisitor(server, op.account.id, visitor.session.visitorToken);
    const tabSaw = waitFor(otherTab.socket, 'rating:updated', (r) => r.comment === 'Sorted in a minute');

    ok(await visitor.socket.emitWithAck('rating:set', { conversationId, score: 'bad' }));
    const changed = ok(await visitor.socket.emitWithAck('rating:set', { conversationId, score: 'good', comment: 'Sorted in a minute' }));
    expect(await tabSaw).toEqual(changed);
    // A blank comment is none.
    const blank = ok(await visitor.socket.emitWithAck('rating:set', { conversationId, score: 'good', comment: '   ' }));
    expect(blank.comment).toBeNull();
    const [count] = await queryRows<{ n: number }>(
      server.app.ctx.db,
      sql`SELECT count(*)::int AS n FROM chat_ratings WHERE conversation_id = ${conversationId}`,
    );
    expect(count!.n).toBe(1);

    // Eleven minutes later (the clock moved on in the database): final.
    await server.app.ctx.db.execute(sql`UPDATE chat_ratings SET created_at = created_at - interval '11 minutes' WHERE conversation_id = ${conversationId}`);
    const late = await visitor.socket.emitWithAck('rating:set', { conversationId, score: 'bad', comment: 'changed my mind' });
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict', message: 'This chat has been rated already.' } });
    expect(ok(await op.socket.emitWithAck('rating:get', { conversationId }))).toMatchObject({ score: 'good', comment: null });
    await until(() => seen.length === 3, 2000, 'three rating:updated');
    expect(seen.map((r: RatingView) => r.score)).toEqual(['bad', 'good', 'good']);
  });

  it("can't be set by another visitor or read by another account; a comment over 1000 characters is refused", async () => {
    const { server, op, visitor, conversationId } = await endedChat();
    const intruder = await h.connectVisitor(server, op.account.id);
    const stranger = await h.operator(server, { account: 'Other Co' });
    const heard = collect(stranger.socket, 'rating:updated');

    expect(await intruder.socket.emitWithAck('rating:set', { conversationId, score: 'bad', comment: 'rude' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await stranger.socket.emitWithAck('rating:get', { conversationId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await visitor.socket.emitWithAck('rating:set', { conversationId, score: 'good', comment: 'x'.repeat(1001) })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
    expect(await visitor.socket.emitWithAck('rating:set', { conversationId, score: 'meh' as 'good' })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
    expect(ok(await op.socket.emitWithAck('rating:get', { conversationId }))).toBeNull();

    ok(await visitor.socket.emitWithAck('rating:set', { conversationId, score: 'good', comment: 'x'.repeat(1000) }));
    await new Promise((r) => setTimeout(r, 100));
    expect(heard).toEqual([]);
  });

  it('goes with its conversation when the visitor is forgotten (#4)', async () => {
    const { server, op, visitor, conversationId } = await endedChat();
    ok(await visitor.socket.emitWithAck('rating:set', { conversationId, score: 'good' }));
    const res = await api(server.url, 'DELETE', `/api/visitors/${visitor.session.visitorId}`, undefined, op.token);
    expect(res.status).toBe(204);
    const [left] = await queryRows<{ n: number }>(server.app.ctx.db, sql`SELECT count(*)::int AS n FROM chat_ratings`);
    expect(left!.n).toBe(0);
  });
});

describe('"email me the transcript" (V2)', () => {
  async function smtp() {
    const s = await startSmtp();
    smtps.push(s);
    return s;
  }

  it('mails the public messages only, with operator names as the visitor saw them, times in UTC, every value escaped in the HTML', async () => {
    const relay = await smtp();
    const server = await h.server({ mail: { smtpUrl: relay.url, from: 'Acme Support <support@acme.test>' } });
    const { op, visitor, conversationId } = await activeChat(server);
    const say = async (who: 'visitor' | 'operator', body: string) =>
      ok(await (who === 'visitor' ? visitor.socket : op.socket).emitWithAck('message:send', { conversationId, clientId: newClientId(), body }));
    await say('operator', 'Hi Vera! Yes, every Tuesday.');
    // An internal note (#5: whispers, #7), written as a service would: never in a transcript.
    const internal = await server.app.ctx.writer.write({
      accountId: op.account.id,
      conversationId,
      clientId: newClientId(),
      author: 'operator',
      operatorId: op.admin.id,
      authorName: 'Olivia',
      body: 'INTERNAL: she is on the VIP list, offer the discount',
      visibility: 'internal',
    });
    expect(internal.message.visibility).toBe('internal');
    await say('visitor', `Great. Is this safe? ${XSS}\nSecond line`);
    // A file is named, not linked (a link would expire, #5 P7).
    const uploaded = await upload(server.url, { token: op.token, conversationId, name: 'launch-plan.pdf', bytes: PDF });
    expect(uploaded.status).toBe(201);
    ok(await op.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body: 'Our plan', fileId: uploaded.body.file.id }));
    ok(await visitor.socket.emitWithAck('chat:close', { conversationId }));

    const queued = ok(await visitor.socket.emitWithAck('transcript:send', { conversationId, email: '  vera@example.com ' }));
    expect(queued).toEqual({ to: 'vera@example.com' });
    await until(() => relay.received.length === 1, 15_000, 'the transcript mail');
    const { parsed, recipients } = relay.received[0]!;
    expect(recipients).toEqual(['vera@example.com']);
    expect(parsed.subject).toBe('Your chat with Acme Rockets: transcript');

    const text = parsed.text ?? '';
    const html = String(parsed.html);
    for (const part of [text, html]) {
      expect(part).not.toContain('INTERNAL');
      expect(part).not.toContain('VIP');
    }
    const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date());
    expect(text).toContain(`${day} (times in UTC)`);
    expect(text).toMatch(/\d\d:\d\d {3}Vera: Do you ship to Mars\?/);
    expect(text).toMatch(/\d\d:\d\d {3}Olivia joined the chat/);
    expect(text).toMatch(/\d\d:\d\d {3}Olivia: Hi Vera! Yes, every Tuesday\./);
    expect(text).toContain(`Vera: Great. Is this safe? ${XSS}\n        Second line`);
    expect(text).toMatch(/\d\d:\d\d {3}Olivia: \[file: launch-plan\.pdf\] Our plan/);
    expect(text).not.toContain('/api/files');
    expect(text).toMatch(/\d\d:\d\d {3}Vera closed the chat/);
    // The order is the chat's.
    expect(text.indexOf('Do you ship')).toBeLessThan(text.indexOf('every Tuesday'));
    expect(text.indexOf('every Tuesday')).toBeLessThan(text.indexOf('Is this safe'));

    expect(html).toContain('Great. Is this safe? &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;<br>');
    expect(html).not.toContain('<img');
    expect(html).toContain('Olivia: Hi Vera! Yes, every Tuesday.');

    // Small and durable: the job carried the conversation and the address, not the chat.
    const [job] = await queryRows<{ payload: unknown; status: string }>(
      server.app.ctx.db,
      sql`SELECT payload, status FROM jobs WHERE kind = 'transcript.send'`,
    );
    expect(job).toEqual({ payload: { conversationId, to: 'vera@example.com' }, status: 'done' });
  });

  it('lands in the outbox without SMTP, and sends nothing if the visitor was forgotten before it ran', async () => {
    const server = await h.server({ jobs: { concurrency: 0 } });
    const { op, visitor, conversationId } = await endedChat(server);
    ok(await visitor.socket.emitWithAck('transcript:send', { conversationId, email: 'vera@example.com' }));
    const [job] = await queryRows<{ id: string; payload: { conversationId: string; to: string } }>(
      server.app.ctx.db,
      sql`SELECT id, payload FROM jobs WHERE kind = 'transcript.send'`,
    );
    const info = { id: job!.id, kind: 'transcript.send', accountId: op.account.id, attempt: 1, maxAttempts: 5, signal: new AbortController().signal };

    // Run by hand (this node runs no jobs): it hands one mail to mail.send, however often it runs.
    await transcriptSendJob.handler(server.app.ctx, job!.payload, info);
    await transcriptSendJob.handler(server.app.ctx, job!.payload, info);
    const mails = await queryRows<{ payload: { to: string[]; text: string } }>(server.app.ctx.db, sql`SELECT payload FROM jobs WHERE kind = 'mail.send'`);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.payload.to).toEqual(['vera@example.com']);
    expect(mails[0]!.payload.text).toContain('Vera: Do you ship to Mars?');

    // Forgotten (#4): the conversation is gone, so is anything to send.
    await server.app.ctx.db.execute(sql`DELETE FROM jobs WHERE kind = 'mail.send'`);
    expect((await api(server.url, 'DELETE', `/api/visitors/${visitor.session.visitorId}`, undefined, op.token)).status).toBe(204);
    await transcriptSendJob.handler(server.app.ctx, job!.payload, { ...info, id: crypto.randomUUID() });
    const [after] = await queryRows<{ n: number }>(server.app.ctx.db, sql`SELECT count(*)::int AS n FROM jobs WHERE kind = 'mail.send'`);
    expect(after!.n).toBe(0);
  });

  it('with no SMTP server, keeps the mail in the outbox for the admins', async () => {
    const server = await h.server();
    const { op, visitor, conversationId } = await endedChat(server);
    ok(await visitor.socket.emitWithAck('transcript:send', { conversationId, email: 'vera@example.com' }));
    await until(
      async () => (await api<{ items: unknown[] }>(server.url, 'GET', '/api/mail/outbox', undefined, op.token)).body.items.length === 1,
      15_000,
      'the transcript in the outbox',
    );
    const outbox = await api<{ items: { to: string[]; subject: string; text: string }[] }>(server.url, 'GET', '/api/mail/outbox', undefined, op.token);
    expect(outbox.body.items[0]).toMatchObject({ to: ['vera@example.com'], subject: 'Your chat with Acme Rockets: transcript' });
    expect(outbox.body.items[0]!.text).toContain('Vera: Do you ship to Mars?');
  });

  it('is refused while the chat is open, for another visitor’s chat, and for a bad address', async () => {
    const { server, op, visitor, conversationId } = await activeChat();
    expect(await visitor.socket.emitWithAck('transcript:send', { conversationId, email: 'vera@example.com' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    ok(await visitor.socket.emitWithAck('chat:close', { conversationId }));
    const intruder = await h.connectVisitor(server, op.account.id);
    expect(await intruder.socket.emitWithAck('transcript:send', { conversationId, email: 'mallory@example.com' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await visitor.socket.emitWithAck('transcript:send', { conversationId, email: 'not an address' })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', issues: [{ path: 'email', message: 'That email address does not look right.' }] },
    });
    // No transcript was queued (a waiting chat schedules its escalation job, #6: not counted).
    const [jobs] = await queryRows<{ n: number }>(server.app.ctx.db, sql`SELECT count(*)::int AS n FROM jobs WHERE kind = 'transcript.send'`);
    expect(jobs!.n).toBe(0);
  });

  it('is rate-limited: 3 an hour per visitor, 5 an hour to one address from all visitors', async () => {
    const server = await h.server({ jobs: { concurrency: 0 } });
    const first = await endedChat(server);
    const send = (chat: typeof first, email: string) => chat.visitor.socket.emitWithAck('transcript:send', { conversationId: chat.conversationId, email });
    for (let i = 0; i < 3; i++) ok(await send(first, 'target@example.com'));
    const fourth = await send(first, 'another@example.com');
    expect(fourth).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', message: expect.stringMatching(/^Too many transcript emails/), retryAfterMs: expect.any(Number) },
    });
    expect(!fourth.ok && fourth.error.retryAfterMs).toBeGreaterThan(59 * 60_000);

    // Another visitor (of another account, even) mailing the same address: two more, then no.
    const second = await endedChat(server);
    ok(await send(second, 'target@example.com'));
    ok(await send(second, 'TARGET@example.com'));
    expect(await send(second, 'target@example.com')).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', message: expect.stringMatching(/^Too many emails to this address/) },
    });
    // No transcript was queued (a waiting chat schedules its escalation job, #6: not counted).
    const [jobs] = await queryRows<{ n: number }>(server.app.ctx.db, sql`SELECT count(*)::int AS n FROM jobs WHERE kind = 'transcript.send'`);
    expect(jobs!.n).toBe(5);
  });
});
