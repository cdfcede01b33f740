import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../../shared/schemas/chats';
import { displayMessages, lastSeq, mergeMessages, newClientId, pruneOutbox, syncAll, toOutcome, type OutboxItem } from '../../../widget/src/chat/state';

const conv = '00000000-0000-4000-8000-000000000001';
const msg = (seq: number, clientId = `client-${seq}`, author: MessageView['author'] = 'operator'): MessageView => ({
  conversationId: conv,
  seq,
  clientId,
  author,
  authorName: author === 'operator' ? 'Olga' : 'Vic',
  body: `message ${seq}`,
  createdAt: new Date(2026, 0, 1, 12, seq).toISOString(),
});

describe('widget chat state', () => {
  it('keeps messages sorted by seq whatever order they arrive in', () => {
    const list = mergeMessages(mergeMessages([], [msg(3), msg(1)]), [msg(2), msg(5), msg(4)]);
    expect(list.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('drops a message it already has, by seq or by clientId', () => {
    const list = mergeMessages([], [msg(1), msg(2)]);
    const again = mergeMessages(list, [msg(2), { ...msg(9), clientId: 'client-1' }, msg(3)]);
    expect(again.map((m) => [m.seq, m.clientId])).toEqual([
      [1, 'client-1'],
      [2, 'client-2'],
      [3, 'client-3'],
    ]);
  });

  it('knows the last seq it holds (0 when empty)', () => {
    expect(lastSeq([])).toBe(0);
    expect(lastSeq([msg(4), msg(2)])).toBe(4);
  });

  it('shows unacknowledged messages after the confirmed ones, as sending, failed or refused for good', () => {
    const outbox: OutboxItem[] = [
      { clientId: 'aaaaaaaa1', conversationId: conv, body: 'first', createdAt: '' },
      { clientId: 'aaaaaaaa2', conversationId: conv, body: 'second', createdAt: '', failed: true },
      { clientId: 'aaaaaaaa3', conversationId: conv, body: 'third', createdAt: '', rejected: true },
      { clientId: 'other0001', conversationId: 'another', body: 'elsewhere', createdAt: '' },
    ];
    const shown = displayMessages([msg(2), msg(1)].sort((a, b) => a.seq - b.seq), outbox, conv, 'Vic');
    expect(shown.map((m) => [m.seq, m.status, m.body])).toEqual([
      [1, 'sent', 'message 1'],
      [2, 'sent', 'message 2'],
      [null, 'sending', 'first'],
      [null, 'failed', 'second'],
      [null, 'rejected', 'third'],
    ]);
  });

  it('retires outbox items once the server has the message, and only those', () => {
    const outbox: OutboxItem[] = [
      { clientId: 'client-7', conversationId: conv, body: 'a', createdAt: '' },
      { clientId: 'client-8', conversationId: conv, body: 'b', createdAt: '' },
    ];
    expect(pruneOutbox(outbox, [msg(7, 'client-7', 'visitor')]).map((o) => o.clientId)).toEqual(['client-8']);
  });

  it('generates clientIds the server accepts, never twice', () => {
    const ids = new Set(Array.from({ length: 200 }, newClientId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  it('pages chat:sync until a page comes back empty', async () => {
    const server = Array.from({ length: 25 }, (_, i) => msg(i + 1));
    const asked: number[] = [];
    const got = await syncAll(async (after) => {
      asked.push(after);
      return server.filter((m) => m.seq > after).slice(0, 10);
    }, 3);
    expect(asked).toEqual([3, 13, 23, 25]); // the last, empty page ends it
    expect(got.map((m) => m.seq)).toEqual(server.slice(3).map((m) => m.seq));
  });

  it('stops paging at the last seq the server reported, and never loops on a stuck server', async () => {
    const server = Array.from({ length: 9 }, (_, i) => msg(i + 1));
    const asked: number[] = [];
    await syncAll(async (after) => (asked.push(after), server.filter((m) => m.seq > after).slice(0, 2)), 3, 7);
    expect(asked).toEqual([3, 5]);
    let calls = 0;
    await syncAll(async () => (calls++, [msg(2)]), 4);
    expect(calls).toBe(1);
  });

  it('retries timeouts and transient errors but not refusals', () => {
    expect(toOutcome(new Error('operation has timed out'))).toMatchObject({ ok: false, retry: true });
    expect(toOutcome({ ok: false, error: { code: 'internal_error', message: 'x' } })).toMatchObject({ ok: false, retry: true });
    expect(toOutcome({ ok: false, error: { code: 'rate_limited', message: 'x' } })).toMatchObject({ ok: false, retry: true });
    expect(toOutcome({ ok: false, error: { code: 'chat_closed', message: 'closed' } })).toMatchObject({ ok: false, retry: false });
    expect(toOutcome({ ok: false, error: { code: 'message_rejected', message: "can't" } })).toMatchObject({ ok: false, retry: false });
    expect(toOutcome({ ok: false, error: { code: 'validation_failed', message: 'bad' } })).toMatchObject({ ok: false, retry: false });
    expect(toOutcome({ ok: true, data: msg(1) })).toMatchObject({ ok: true });
  });
});
