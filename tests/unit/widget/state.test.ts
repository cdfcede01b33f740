import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../../shared/schemas/chats';
import { displayMessages, pruneOutbox, toOutcome, type OutboxItem } from '../../../widget/src/chat/state';

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

// Merging, the gap rule, sync paging and client ids are the shared protocol's: tests/unit/shared/protocol.test.ts.
describe('widget chat state', () => {
  it('shows unacknowledged messages after the confirmed ones, as sending, failed or refused for good', () => {
    const outbox: OutboxItem[] = [
      { clientId: 'aaaaaaaa1', conversationId: conv, body: 'first', createdAt: '' },
      { clientId: 'aaaaaaaa2', conversationId: conv, body: 'second', createdAt: '', failed: true },
      { clientId: 'aaaaaaaa3', conversationId: conv, body: 'third', createdAt: '', rejected: true },
      { clientId: 'other0001', conversationId: 'another', body: 'elsewhere', createdAt: '' },
    ];
    const shown = displayMessages(
      [msg(2), msg(1)].sort((a, b) => a.seq - b.seq),
      outbox,
      conv,
      'Vic',
    );
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
