import { describe, expect, it } from 'vitest';
import { addPending, contiguousSeq, hasGap, mergeMessages, newClientId, type ChatMessage } from '@/utils/messages';
import { clientId as clientIdSchema } from '@@/shared/schemas/common';
import { message } from './fakes';

const conv = '00000000-0000-4000-8000-000000000001';

function pending(clientId: string, body = 'hi'): ChatMessage {
  return { conversationId: conv, seq: null, clientId, author: 'operator', authorName: 'Olga', body, createdAt: new Date().toISOString(), state: 'sending' };
}

describe('message merge', () => {
  it('keeps messages sorted by seq whatever order they arrive in', () => {
    const list = mergeMessages([], [message(conv, 3), message(conv, 1), message(conv, 2)]);
    expect(list.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('never adds the same seq twice (live event and catch-up overlap)', () => {
    let list = mergeMessages([], [message(conv, 1), message(conv, 2)]);
    list = mergeMessages(list, [message(conv, 2), message(conv, 3)]);
    list = mergeMessages(list, [message(conv, 3)]);
    expect(list.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('turns a pending message into the sent one when its ack arrives', () => {
    let list = mergeMessages([], [message(conv, 1)]);
    list = addPending(list, pending('op_abc12345'));
    expect(list.at(-1)).toMatchObject({ seq: null, state: 'sending' });
    list = mergeMessages(list, [message(conv, 2, { clientId: 'op_abc12345', author: 'operator', body: 'hi' })]);
    expect(list).toHaveLength(2);
    expect(list[1]).toMatchObject({ seq: 2, state: 'sent', clientId: 'op_abc12345' });
  });

  it('dedupes when the live message:sent arrives before the ack, and the ack after it', () => {
    let list = addPending([], pending('op_live0001'));
    const stored = message(conv, 1, { clientId: 'op_live0001', author: 'operator' });
    list = mergeMessages(list, [stored]); // live broadcast first
    list = mergeMessages(list, [stored]); // then the ack
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ seq: 1, state: 'sent' });
  });

  it('keeps unsent messages after the sent ones, in the order they were typed', () => {
    let list = addPending([], { ...pending('op_second01'), createdAt: '2026-01-01T12:00:02.000Z' });
    list = addPending(list, { ...pending('op_first001'), createdAt: '2026-01-01T12:00:01.000Z' });
    list = mergeMessages(list, [message(conv, 1)]);
    expect(list.map((m) => m.clientId)).toEqual([message(conv, 1).clientId, 'op_first001', 'op_second01']);
  });

  it('adding the same pending clientId twice keeps one', () => {
    const list = addPending(addPending([], pending('op_dup00001')), pending('op_dup00001'));
    expect(list).toHaveLength(1);
  });

  it('returns the same array when nothing changed (no needless re-render)', () => {
    const list = mergeMessages([], [message(conv, 1)]);
    expect(mergeMessages(list, [message(conv, 1)])).toBe(list);
  });
});

describe('catch-up position', () => {
  it('is 0 for an empty list and the last seq of an unbroken run', () => {
    expect(contiguousSeq([])).toBe(0);
    expect(contiguousSeq(mergeMessages([], [message(conv, 1), message(conv, 2)]))).toBe(2);
  });

  it('stops at a gap so chat:sync fetches what was missed', () => {
    const list = mergeMessages([], [message(conv, 1), message(conv, 2), message(conv, 5)]);
    expect(contiguousSeq(list)).toBe(2);
    expect(hasGap(list)).toBe(true);
  });

  it('ignores pending messages', () => {
    const list = addPending(mergeMessages([], [message(conv, 1)]), pending('op_pend0001'));
    expect(contiguousSeq(list)).toBe(1);
    expect(hasGap(list)).toBe(false);
  });
});

describe('client ids', () => {
  it('are unique and accepted by the shared schema', () => {
    const ids = new Set(Array.from({ length: 1000 }, newClientId));
    expect(ids.size).toBe(1000);
    for (const id of [...ids].slice(0, 20)) expect(clientIdSchema.safeParse(id).success).toBe(true);
  });
});
