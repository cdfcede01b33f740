/**
 * #4 §1, property-style over the whole message path against a real server: chat start, send,
 * the conversation preview (chat:updated, chat:list), chat:sync catch-up and the history of
 * chat:get and session:started. Random text mixes what is more than one UTF-16 unit or combines
 * with its neighbours (emoji, skin tones, families joined by zero-width joiners, flags, combining
 * accents, RTL marks) with what PostgreSQL cannot hold (NUL, lone surrogates), around the preview
 * length and the maximum length. Each message is stored exactly once (a resend gets the same seq)
 * or refused alone with a clear code, and innocent messages sent in the same batches by other
 * visitors, operators and accounts are all stored.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Ack } from '../../shared/errors';
import { PREVIEW_LENGTH, previewOf } from '../../shared/preview';
import { MAX_MESSAGE_LENGTH, type MessageView } from '../../shared/schemas/chats';
import { ok } from '../support/ack';
import { ChatClient } from '../support/chatClient';
import { collect, Harness, newClientId, type TestServer } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🇫🇷', 'e\u0301', '\u05e9\u05c1'];
const PIECES = [...EMOJI, '\u200f', '\u202e', '\u200d', '\0', '\ud800', '\udc00', '\ud83d', 'ש', 'a', ' ', '\n', '\r\n'];
const clusters = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].length;

/** Random text of tricky pieces and random UTF-16 units (lone surrogates included). */
const pieces = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 40 }).map((p) => p.join(''));
/** An emoji somewhere around the preview cut. */
const atPreviewCut = fc
  .tuple(fc.integer({ min: PREVIEW_LENGTH - 12, max: PREVIEW_LENGTH + 4 }), fc.constantFrom(...EMOJI), pieces)
  .map(([k, emoji, tail]) => 'a'.repeat(k) + emoji + tail);
/** Around the maximum length (in code points), an emoji at the very end (sometimes one too long). */
const atMaxLength = fc
  .tuple(fc.integer({ min: -2, max: 1 }), fc.constantFrom(...EMOJI))
  .map(([over, emoji]) => 'b'.repeat(MAX_MESSAGE_LENGTH + over - [...emoji].length) + emoji);
const body = fc.oneof({ weight: 3, arbitrary: pieces }, { weight: 3, arbitrary: atPreviewCut }, { weight: 1, arbitrary: atMaxLength });

/** What the server stores for `text`, or null when the schema refuses it (empty, too long in code points). */
function expectedBody(text: string): string | null {
  const clean = text.replaceAll('\0', '').toWellFormed().trim();
  const codePoints = [...clean].length;
  return codePoints >= 1 && codePoints <= MAX_MESSAGE_LENGTH ? clean : null;
}

/** A server with two accounts; account A's operator as a ChatClient, and bystanders chatting in A and B. */
async function world() {
  const server = await h.server();
  const a = await h.operator(server, { name: 'Olivia' });
  const colleague = await h.colleague(server, a.account.id);
  const b = await h.operator(server, { account: 'Other Inc', name: 'Otto' });
  const operator = new ChatClient({ url: server.url, role: 'operator', auth: { token: a.token } });
  await operator.connect();
  const bystander = async (op: typeof a) => {
    const { socket } = await h.connectVisitor(server, op.account.id);
    const { conversation } = ok(await socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Bea', email: 'bea@example.com', question: 'Hi' }));
    ok(await op.socket.emitWithAck('chat:accept', { conversationId: conversation.id }));
    return { socket, conversationId: conversation.id, op };
  };
  const bystanders = [await bystander(a), await bystander(b)];
  return { server, a, b, colleague, operator, bystanders };
}

type World = Awaited<ReturnType<typeof world>>;

/** Everything the innocent bystanders send in one go, all to be acked ok. */
function innocentSends(w: World, tag: string): Promise<Ack<MessageView>>[] {
  return w.bystanders.flatMap((by, i) => [
    by.socket.emitWithAck('message:send', { conversationId: by.conversationId, clientId: newClientId('in'), body: `${tag} visitor ${i}` }),
    by.op.socket.emitWithAck('message:send', { conversationId: by.conversationId, clientId: newClientId('io'), body: `${tag} operator ${i}` }),
  ]);
}

async function checkRun(server: TestServer, w: World, question: string, bodies: string[], run: number): Promise<void> {
  const { a, operator, colleague } = w;
  const { socket: visitor, session } = await h.connectVisitor(server, a.account.id);
  const updates = collect(colleague.socket, 'chat:updated');

  // chat:start, in the same batch window as the bystanders' messages.
  const startForm = { clientId: newClientId('st'), name: `Visitor ${run}`, email: 'v@example.com', question };
  const [start, ...innocentAtStart] = await Promise.all([visitor.emitWithAck('chat:start', startForm), ...innocentSends(w, `start ${run}`)]);
  for (const r of innocentAtStart) expect(r.ok).toBe(true);
  let conversationId: string;
  const expectedQuestion = expectedBody(question);
  if (expectedQuestion === null) {
    expect(start).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    conversationId = ok(await visitor.emitWithAck('chat:start', { ...startForm, question: 'Plain question' })).conversation.id;
  } else {
    const started = ok(start);
    expect(started.messages.map((m) => [m.seq, m.body])).toEqual([[1, expectedQuestion]]);
    conversationId = started.conversation.id;
  }
  await operator.acceptChat(conversationId); // follows it from seq 1: live events, acks and syncs

  // Every body at once, with the bystanders' messages in the same batches.
  const payloads = bodies.map((b) => ({ conversationId, clientId: newClientId('pr'), body: b }));
  const [results, innocent] = await Promise.all([
    Promise.all(payloads.map((p) => visitor.emitWithAck('message:send', p))),
    Promise.all(innocentSends(w, `run ${run}`)),
  ]);
  for (const r of innocent) expect(r.ok).toBe(true);
  const stored: MessageView[] = [];
  results.forEach((r, i) => {
    const want = expectedBody(bodies[i]!);
    if (want === null) {
      expect(r).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    } else {
      const m = ok(r);
      expect(m.body).toBe(want);
      stored.push(m);
    }
  });

  // Exactly once: a resend of each gets the stored message back, same seq.
  const resent = await Promise.all(stored.map((m) => visitor.emitWithAck('message:send', { conversationId, clientId: m.clientId, body: m.body })));
  expect(resent.map((r) => ok(r).seq)).toEqual(stored.map((m) => m.seq));

  // Catch-up from 0, chat:get and the visitor's session:started after a reconnect all tell the same gap-free story.
  const history = ok(await a.socket.emitWithAck('chat:sync', { conversationId, afterSeq: 0 }));
  expect(history.map((m) => m.seq)).toEqual(history.map((_, i) => i + 1));
  for (const m of stored) expect(history.filter((x) => x.clientId === m.clientId)).toEqual([m]);
  expect(ok(await a.socket.emitWithAck('chat:get', { conversationId })).messages).toEqual(history);
  visitor.disconnect();
  const again = await h.connectVisitor(server, a.account.id, session.visitorToken);
  expect(again.session.chat?.messages).toEqual(history);
  await expect.poll(() => operator.history.get(conversationId)?.length).toBe(history.length);
  expect(operator.history.get(conversationId)).toEqual(history);

  // The preview of the last visitor message, whole clusters, in chat:list and the colleague's chat:updated.
  const last = [...history].reverse().find((m) => m.author !== 'system')!;
  const preview = previewOf(last.body);
  expect(preview.isWellFormed()).toBe(true);
  expect(clusters(preview)).toBeLessThanOrEqual(PREVIEW_LENGTH);
  const listed = ok(await a.socket.emitWithAck('chat:list', {})).find((c) => c.id === conversationId);
  expect(listed?.preview).toBe(preview);
  await expect.poll(() => updates.filter((c) => c.id === conversationId).at(-1)?.lastSeq).toBe(history.length);
  expect(updates.filter((c) => c.id === conversationId).at(-1)?.preview).toBe(preview);

  ok(await again.socket.emitWithAck('chat:close', { conversationId }));
  again.socket.disconnect();
}

describe('the message path with any text (#4)', () => {
  it('stores each message exactly once or refuses it alone, and previews it whole, while the messages around it are stored', async () => {
    const w = await world();
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(body, fc.array(body, { minLength: 1, maxLength: 4 }), async (question, bodies) => {
          await checkRun(w.server, w, question, bodies, run++);
        }),
        { numRuns: 20, endOnFailure: true },
      );
    } finally {
      w.operator.close();
    }
  }, 60_000); // three accounts and logins (argon2) before a couple of seconds of runs

  it('previews an emoji placed at every position around the cut whole, and stores it as sent', async () => {
    const w = await world();
    const { socket: visitor } = await h.connectVisitor(w.server, w.a.account.id);
    const { conversation } = ok(await visitor.emitWithAck('chat:start', { clientId: newClientId(), name: 'Vera', email: 'v@example.com', question: 'Hi' }));
    const updates = collect(w.colleague.socket, 'chat:updated');
    for (const emoji of ['😀', '👨‍👩‍👧‍👦', 'e\u0301']) {
      for (let k = PREVIEW_LENGTH - 4; k <= PREVIEW_LENGTH + 1; k++) {
        const text = 'a'.repeat(k) + emoji + 'tail';
        const [sent, ...innocent] = await Promise.all([
          visitor.emitWithAck('message:send', { conversationId: conversation.id, clientId: newClientId(), body: text }),
          ...innocentSends(w, `${emoji} ${k}`),
        ]);
        for (const r of innocent) expect(r.ok).toBe(true);
        const { seq, body: stored } = ok(sent);
        expect(stored).toBe(text);
        const update = await vi.waitFor(() => {
          const found = updates.find((c) => c.id === conversation.id && c.lastSeq === seq);
          if (!found) throw new Error(`no chat:updated for seq ${seq} yet`);
          return found;
        });
        expect(update.preview).toBe(previewOf(text));
        expect(update.preview.isWellFormed()).toBe(true);
        const rest = update.preview.replace(/^a*/, '').replace(/…$/, '');
        expect(rest === '' || rest.startsWith(emoji)).toBe(true);
      }
    }
    w.operator.close();
  }, 60_000);
});
