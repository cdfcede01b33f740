import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createMemoryOutbox, flushOutbox, isPermanentFailure, pendingEntries, type OutboxEntry } from '@/utils/outbox';
import { createDexieOutbox, SidedeskDb } from '@/utils/db';
import type { ClientError, Result } from '@/utils/protocol';
import type { MessageView } from '@@/shared/schemas/chats';

const conv = '00000000-0000-4000-8000-0000000000aa';
const entry = (i: number): OutboxEntry => ({
  clientId: `op_outbox_${i}`,
  conversationId: conv,
  body: `queued ${i}`,
  authorName: 'Olga',
  createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, i)).toISOString(),
});
const stored = (e: OutboxEntry, seq: number): MessageView => ({ ...e, seq, author: 'operator' });

describe('outbox flush', () => {
  it('sends oldest first and empties the outbox', async () => {
    const store = createMemoryOutbox();
    await store.put(entry(2));
    await store.put(entry(1));
    const sent: string[] = [];
    let seq = 0;
    const res = await flushOutbox(store, {
      send: async (e) => ({ ok: true, data: stored(e, ++seq) }),
      onSent: (e) => sent.push(e.clientId),
      onRejected: () => {},
    });
    expect(sent).toEqual(['op_outbox_1', 'op_outbox_2']);
    expect(res).toEqual({ sent: 2, remaining: 0 });
    expect(await store.all()).toEqual([]);
  });

  it('stops at the first transport failure and keeps the rest for the next try', async () => {
    const store = createMemoryOutbox();
    for (const i of [1, 2, 3]) await store.put(entry(i));
    let calls = 0;
    const res = await flushOutbox(store, {
      send: async (e): Promise<Result<MessageView>> =>
        ++calls === 2 ? { ok: false, error: { code: 'timeout', message: 'slow' } } : { ok: true, data: stored(e, calls) },
      onSent: () => {},
      onRejected: () => {},
    });
    expect(res).toEqual({ sent: 1, remaining: 2 });
    expect((await store.all()).map((e) => e.clientId)).toEqual(['op_outbox_2', 'op_outbox_3']);
  });

  it('marks a message the server refuses for good, reports it, goes on with the next and never sends it again (#4)', async () => {
    const store = createMemoryOutbox();
    for (const i of [1, 2]) await store.put(entry(i));
    const rejected: string[] = [];
    const sends: string[] = [];
    const handlers = {
      send: async (e: OutboxEntry): Promise<Result<MessageView>> => {
        sends.push(e.clientId);
        return e.clientId === 'op_outbox_1' ? { ok: false, error: { code: 'message_rejected', message: "can't" } } : { ok: true, data: stored(e, 1) };
      },
      onSent: () => {},
      onRejected: (e: OutboxEntry, err: ClientError) => rejected.push(`${e.clientId}:${err.code}:${e.rejected?.code}`),
    };
    expect(await flushOutbox(store, handlers)).toEqual({ sent: 1, remaining: 0 });
    expect(rejected).toEqual(['op_outbox_1:message_rejected:message_rejected']);
    expect(await store.all()).toMatchObject([{ clientId: 'op_outbox_1', rejected: { code: 'message_rejected' } }]);
    expect(await pendingEntries(store)).toEqual([]);

    await flushOutbox(store, handlers);
    expect(sends).toEqual(['op_outbox_1', 'op_outbox_2']);
  });

  it('keeps a message the server fails for now (internal_error, rate_limited), and the ones after it, for the next try', async () => {
    for (const code of ['internal_error', 'rate_limited'] as const) {
      const store = createMemoryOutbox();
      for (const i of [1, 2]) await store.put(entry(i));
      const res = await flushOutbox(store, {
        send: async () => ({ ok: false, error: { code, message: 'later' } }),
        onSent: () => {},
        onRejected: () => {
          throw new Error('not a refusal');
        },
      });
      expect(res).toEqual({ sent: 0, remaining: 2 });
      expect((await pendingEntries(store)).map((e) => e.clientId)).toEqual(['op_outbox_1', 'op_outbox_2']);
    }
  });

  it('tells refusals for good from failures worth another try', () => {
    for (const code of ['message_rejected', 'validation_failed', 'chat_closed', 'not_found'] as const)
      expect(isPermanentFailure({ code, message: '' })).toBe(true);
    for (const code of ['internal_error', 'rate_limited', 'timeout', 'offline'] as const) expect(isPermanentFailure({ code, message: '' })).toBe(false);
  });

  it('survives a reload on IndexedDB (a new database handle sees the queue)', async () => {
    const first = createDexieOutbox(new SidedeskDb('outbox-reload-test'));
    await first.put(entry(2));
    await first.put(entry(1));
    const second = createDexieOutbox(new SidedeskDb('outbox-reload-test'));
    expect((await second.all()).map((e) => e.clientId)).toEqual(['op_outbox_1', 'op_outbox_2']);
    // A refusal for good is kept across the reload, with its mark (#4).
    await second.put({ ...entry(1), rejected: { code: 'message_rejected', message: "can't" } });
    expect(await createDexieOutbox(new SidedeskDb('outbox-reload-test')).all()).toMatchObject([
      { clientId: 'op_outbox_1', rejected: { code: 'message_rejected' } },
      { clientId: 'op_outbox_2' },
    ]);
    await second.clear();
    expect(await first.all()).toEqual([]);
  });
});
