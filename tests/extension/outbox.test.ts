import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createMemoryOutbox, flushOutbox, type OutboxEntry } from '@/utils/outbox';
import { createDexieOutbox, SidedeskDb } from '@/utils/db';
import type { Result } from '@/utils/protocol';
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

  it('drops a message the server refuses for good, and reports it', async () => {
    const store = createMemoryOutbox();
    await store.put(entry(1));
    const rejected: string[] = [];
    await flushOutbox(store, {
      send: async () => ({ ok: false, error: { code: 'chat_closed', message: 'closed' } }),
      onSent: () => {},
      onRejected: (e, err) => rejected.push(`${e.clientId}:${err.code}`),
    });
    expect(rejected).toEqual(['op_outbox_1:chat_closed']);
    expect(await store.all()).toEqual([]);
  });

  it('survives a reload on IndexedDB (a new database handle sees the queue)', async () => {
    const first = createDexieOutbox(new SidedeskDb('outbox-reload-test'));
    await first.put(entry(2));
    await first.put(entry(1));
    const second = createDexieOutbox(new SidedeskDb('outbox-reload-test'));
    expect((await second.all()).map((e) => e.clientId)).toEqual(['op_outbox_1', 'op_outbox_2']);
    await second.clear();
    expect(await first.all()).toEqual([]);
  });
});
