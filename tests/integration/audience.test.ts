/**
 * #5 "audience on every read", property-style: internal messages (operators only; whispers and
 * notes are built on them in #7) never reach a visitor by any path — live, `chat:start`'s answer,
 * `chat:sync`, `session:started` after a reconnect — while operators read them in order with
 * everything else. A raw visitor socket records every frame it receives; none may carry an
 * internal message's text, and the visitor's own numbering (#6) shows no gap where one was.
 */
import fc from 'fast-check';
import { DEFAULT_LIMITS } from '../../server/src/config';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../support/cluster';
import { Harness, newClientId, type TestServer } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

type Step = { kind: 'visitor' | 'operator' | 'internal' } | { kind: 'reconnect' } | { kind: 'sync'; from: number };
const step = fc.oneof(
  fc.constantFrom<Step>({ kind: 'visitor' }, { kind: 'operator' }, { kind: 'internal' }, { kind: 'internal' }, { kind: 'reconnect' }),
  fc.nat({ max: 12 }).map((from): Step => ({ kind: 'sync', from })),
);

/** Every frame a visitor socket receives, as text (engine.io packets of the underlying WebSocket). */
function recordFrames(socket: { io: { engine: { on(ev: 'packet', fn: (p: { data?: unknown }) => void): void } } }, frames: string[]): void {
  socket.io.engine.on('packet', (packet) => frames.push(typeof packet.data === 'string' ? packet.data : JSON.stringify(packet.data ?? '')));
}

/** `live`: each message:sent the visitor gets, as (body, seq). */
async function visitorOf(server: TestServer, accountId: string, token: string | undefined, frames: string[], live: [string, number][]) {
  const connected = await h.connectVisitor(server, accountId, token);
  recordFrames(connected.socket as never, frames);
  connected.socket.on('message:sent', (m) => live.push([m.body, m.seq]));
  return connected;
}

describe('audience (#5)', { timeout: 180_000 }, () => {
  it('never sends a visitor an internal message, whatever happens around it; operators read everything in order', async () => {
    // Every run and every shrinking attempt makes a new visitor from 127.0.0.1: with the per-address
    // limit on, a failure's shrinking ended in rate_limited and hid what had failed.
    const server = await h.server({ limits: { ...DEFAULT_LIMITS, newVisitorsPerAddress: 0 } });
    const op = await h.operator(server, { name: 'Olivia' });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 14 }), async (steps) => {
        const frames: string[] = [];
        const live: [string, number][] = [];
        let visitor = await visitorOf(server, op.account.id, undefined, frames, live);
        const started = await visitor.socket.emitWithAck('chat:start', {
          clientId: newClientId(),
          name: 'Vic',
          email: 'vic@example.com',
          question: 'public question',
        });
        if (!started.ok) throw new Error('chat:start failed');
        const conversationId = started.data.conversation.id;
        frames.push(JSON.stringify(started.data));
        const accepted = await op.socket.emitWithAck('chat:accept', { conversationId });
        expect(accepted.ok, JSON.stringify(accepted)).toBe(true);

        // A failed run closes its chat too: the next run (and fast-check's shrinking) starts from an operator with no chats.
        try {
          const internal: string[] = [];
          const expected: string[] = ['public question'];
          let n = 0;
          for (const s of steps) {
            const body = `${s.kind}-${++n}-${Math.random().toString(36).slice(2)}`;
            if (s.kind === 'visitor')
              expect((await visitor.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body })).ok).toBe(true);
            if (s.kind === 'operator') expect((await op.socket.emitWithAck('message:send', { conversationId, clientId: newClientId(), body })).ok).toBe(true);
            if (s.kind === 'internal') {
              // Through the writer, as a service would (transfer notes, #7's whispers).
              const written = await server.app.ctx.writer.write({
                accountId: op.account.id,
                conversationId,
                clientId: newClientId(),
                author: 'operator',
                operatorId: op.admin.id,
                authorName: 'Olivia',
                body,
                visibility: 'internal',
              });
              expect(written.message.visibility).toBe('internal');
              internal.push(body);
            } else if (s.kind === 'visitor' || s.kind === 'operator') {
              expected.push(body);
            }
            if (s.kind === 'reconnect') {
              const token = visitor.session.visitorToken;
              visitor.socket.disconnect();
              visitor = await visitorOf(server, op.account.id, token, frames, live);
              frames.push(JSON.stringify(visitor.session));
              expect(visitor.session.chat?.messages.map((m) => m.body).filter((b) => !b.includes('joined the chat'))).toEqual(expected);
            }
            if (s.kind === 'sync') {
              const synced = await visitor.socket.emitWithAck('chat:sync', { conversationId, afterSeq: s.from });
              frames.push(JSON.stringify(synced));
              expect(synced.ok).toBe(true);
            }
          }
          // Operators: every message, internal ones flagged, in seq order without gaps.
          const history = await op.socket.emitWithAck('chat:get', { conversationId });
          if (!history.ok) throw new Error('chat:get failed');
          expect(history.data.messages.map((m) => m.seq)).toEqual(history.data.messages.map((_, i) => i + 1));
          expect(history.data.messages.filter((m) => m.visibility === 'internal').map((m) => m.body)).toEqual(internal);
          // Nor does an internal message become the conversation's preview.
          if (internal.length) expect(internal).not.toContain(history.data.conversation.preview);

          // Every public message reaches the visitor live (on a busy machine, later than its sender's ack);
          // by then an internal one would have come too.
          await until(() => expected.every((body) => frames.some((f) => f.includes(body))), 10_000, 'every public message at the visitor').catch(() => {});
          // #6: the visitor's own sequence numbers what they may read 1..n, so no gap betrays an
          // internal message; live, history and catch-up all use it.
          const mine = await visitor.socket.emitWithAck('chat:sync', { conversationId, afterSeq: 0 });
          if (!mine.ok) throw new Error('chat:sync failed');
          expect(mine.data.map((m) => m.seq)).toEqual(mine.data.map((_, i) => i + 1));
          expect(mine.data.map((m) => m.body).filter((b) => !b.includes('joined the chat'))).toEqual(expected);
          const seqOf = new Map(mine.data.map((m) => [m.body, m.seq]));
          for (const [body, seq] of live) expect(seq, `live seq of ${body}`).toBe(seqOf.get(body));
          const reread = await h.connectVisitor(server, op.account.id, visitor.session.visitorToken);
          expect(reread.session.chat?.conversation.lastSeq).toBe(mine.data.length);
          reread.socket.disconnect();
          const seen = frames.join('\n');
          for (const body of internal) expect(seen.includes(body), `visitor received ${body}`).toBe(false);
          for (const body of expected) expect(seen.includes(body), `visitor never received ${body}`).toBe(true);
        } finally {
          await op.socket.emitWithAck('chat:close', { conversationId });
          visitor.socket.disconnect();
        }
      }),
      { numRuns: 10 },
    );
  });
});
