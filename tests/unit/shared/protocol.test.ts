import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  contiguousSeq,
  displayOrder,
  hasGap,
  isBehind,
  isGap,
  MAX_EMAIL_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_NAME_LENGTH,
  MAX_SYNC_PAGES,
  maxSeq,
  mergeMessages,
  movesLastAuthor,
  newClientId,
  PREVIEW_LENGTH,
  previewOf,
  SYNC_PAGE_SIZE,
  syncPages,
  TYPING_EXPIRES_MS,
  TYPING_IDLE_MS,
  TYPING_REPEAT_MS,
  withLastMessage,
  type LastMessageSummary,
  type SeqEntry,
} from '../../../shared/protocol';
import { chatStartPayload, messageSendPayload, type AuthorType, type ConversationView, type MessageView } from '../../../shared/schemas/chats';
import { clientId as clientIdSchema } from '../../../shared/schemas/common';
import { visitorState } from '../../../shared/visitorState';
import { MESSAGE_PAGE_SIZE } from '../../../server/src/features/chats/repo';

const CONV = '00000000-0000-4000-8000-000000000001';
const AUTHORS: AuthorType[] = ['visitor', 'operator', 'system'];

function msg(seq: number, over: Partial<MessageView> = {}): MessageView {
  return {
    conversationId: CONV,
    seq,
    clientId: `client-${seq}`,
    author: 'visitor',
    authorName: 'Vera',
    body: `message ${seq}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, 0, seq)).toISOString(),
    ...over,
  };
}

/** A server's log: seqs 1..n, each message with its own clientId. */
const log = (n: number) => Array.from({ length: n }, (_, i) => msg(i + 1));

/** The panel's kind of entry: optimistic ones (seq null) live in the list until their stored copy replaces them. */
interface Entry extends SeqEntry {
  body: string;
  state: 'sending' | 'sent';
}
const toEntry = (m: MessageView): Entry => ({ seq: m.seq, clientId: m.clientId, createdAt: m.createdAt, body: m.body, state: 'sent' });
const optimistic = (m: MessageView): Entry => ({ seq: null, clientId: m.clientId, createdAt: m.createdAt, body: m.body, state: 'sending' });

/**
 * One delivery of stored messages, as a client gets them: a live `message:sent` or an ack (one
 * message), or a `chat:sync` / handshake page (a run of seqs from some afterSeq).
 */
type Delivery = { kind: 'one'; seq: number } | { kind: 'page'; after: number; size: number };
const deliveryOf = (n: number) =>
  fc.oneof(
    fc.record({ kind: fc.constant('one' as const), seq: fc.integer({ min: 1, max: n }) }),
    fc.record({ kind: fc.constant('page' as const), after: fc.integer({ min: 0, max: n }), size: fc.integer({ min: 1, max: 5 }) }),
  );
const messagesOf = (server: MessageView[], d: Delivery) => (d.kind === 'one' ? [server[d.seq - 1]!] : server.slice(d.after, d.after + d.size));

/** Deliveries that together bring every message at least once, duplicated and in any order. */
const coveringDeliveries = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc
    .tuple(
      fc.constant(n),
      fc.array(deliveryOf(n), { maxLength: 40 }),
      fc.subarray(Array.from({ length: n }, (_, i) => i + 1)), // the client's own messages, shown before they are stored
    )
    .chain(([n, extra, own]) => {
      // Every seq once on its own, then extra (duplicate) deliveries; shuffled together.
      const each: Delivery[] = Array.from({ length: n }, (_, i) => ({ kind: 'one', seq: i + 1 }));
      return fc.tuple(fc.constant(n), fc.shuffledSubarray([...each, ...extra], { minLength: n + extra.length }), fc.constant(own));
    }),
);

function expectWellFormed(list: readonly SeqEntry[]) {
  const stored = list.filter((e) => e.seq !== null);
  expect(new Set(stored.map((e) => e.seq)).size, 'no seq twice').toBe(stored.length);
  expect(new Set(list.map((e) => e.clientId)).size, 'no clientId twice').toBe(list.length);
  expect([...list].sort(displayOrder), 'in display order').toEqual(list);
}

describe('merging messages by seq (Q1, #5)', () => {
  it('converges to the server’s ordered list, without duplicates, whatever the interleaving and duplication of deliveries and sync pages', () => {
    fc.assert(
      fc.property(coveringDeliveries, ([n, deliveries, own]) => {
        const server = log(n);
        let list: Entry[] = own.map((seq) => optimistic(server[seq - 1]!));
        const delivered = new Set<number>();
        for (const d of deliveries) {
          const got = messagesOf(server, d);
          list = mergeMessages(list, got, toEntry);
          for (const m of got) delivered.add(m.seq);
          expectWellFormed(list);
          // Stored: exactly what was delivered. Optimistic: the own messages not stored yet, after them.
          expect(list.filter((e) => e.seq !== null).map((e) => e.seq)).toEqual([...delivered].sort((a, b) => a - b));
          expect(list.filter((e) => e.seq === null).map((e) => e.clientId)).toEqual(own.filter((s) => !delivered.has(s)).map((s) => `client-${s}`));
        }
        expect(list).toEqual(server.map(toEntry));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the widget’s plain list the same result, and the same array back when nothing is new', () => {
    fc.assert(
      fc.property(coveringDeliveries, ([n, deliveries]) => {
        const server = log(n);
        let list: MessageView[] = [];
        for (const d of deliveries) {
          const before = list;
          const got = messagesOf(server, d);
          const isNew = got.some((m) => !before.some((b) => b.seq === m.seq));
          list = mergeMessages(list, got);
          if (!isNew) expect(list).toBe(before);
        }
        expect(list).toEqual(server);
      }),
      { numRuns: 200 },
    );
  });

  it('replaces an optimistic message with the stored one, whether the ack or the live event comes first', () => {
    const mine = msg(2, { clientId: 'op_mine0001', body: 'hi' });
    const start = mergeMessages([optimistic(mine)], [msg(1)], toEntry);
    expect(start.map((e) => [e.seq, e.state])).toEqual([
      [1, 'sent'],
      [null, 'sending'],
    ]);
    const live = mergeMessages(start, [mine], toEntry);
    expect(live.map((e) => [e.seq, e.clientId, e.state])).toEqual([
      [1, 'client-1', 'sent'],
      [2, 'op_mine0001', 'sent'],
    ]);
    expect(mergeMessages(live, [mine], toEntry)).toBe(live); // the ack after it changes nothing
  });

  it('keeps unsent messages after the stored ones, oldest first', () => {
    const later = optimistic(msg(9, { clientId: 'later0001', createdAt: '2026-01-01T13:00:02.000Z' }));
    const earlier = optimistic(msg(8, { clientId: 'earlier01', createdAt: '2026-01-01T13:00:01.000Z' }));
    const list = mergeMessages([later, earlier].sort(displayOrder), [msg(1)], toEntry);
    expect(list.map((e) => e.clientId)).toEqual(['client-1', 'earlier01', 'later0001']);
  });
});

describe('the gap rule', () => {
  it('calls for a sync when a received seq is past the next one expected, and only then', () => {
    expect(isGap(3, 4)).toBe(false);
    expect(isGap(3, 3)).toBe(false);
    expect(isGap(3, 5)).toBe(true);
    expect(isGap(0, 1)).toBe(false);
    expect(isGap(0, 2)).toBe(true);
    expect(isBehind(3, 3)).toBe(false);
    expect(isBehind(3, 4)).toBe(true);
  });

  it('continues after the end of the unbroken run from seq 1, not after the highest seq held', () => {
    const list = [msg(1), msg(2), msg(5)];
    expect(contiguousSeq(list)).toBe(2);
    expect(maxSeq(list)).toBe(5);
    expect(hasGap(list)).toBe(true);
    expect(contiguousSeq([msg(2), msg(3)])).toBe(0); // seq 1 missing: everything is asked again
    expect(contiguousSeq([])).toBe(0);
    expect(hasGap([msg(1), msg(2), { seq: null }])).toBe(false); // optimistic entries don't count
  });

  it('agrees with itself: a list has a gap exactly when some message in it arrived past the run before it', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 30 }), (seqs) => {
        const list = seqs.map((s) => ({ seq: s }));
        const held = contiguousSeq(list);
        expect(hasGap(list)).toBe(seqs.some((s) => isGap(held, s)));
        for (let s = 1; s <= held; s++) expect(seqs).toContain(s);
        expect(seqs).not.toContain(held + 1);
      }),
    );
  });
});

/** A client catching up against a server log with live events landing between its pages. */
function catchUp(server: MessageView[], initial: MessageView[], liveBetweenPages: MessageView[][] = [], lastSeq?: number) {
  let list = mergeMessages([], initial);
  const asked: number[] = [];
  let page = 0;
  const run = syncPages({
    fetchPage: async (afterSeq) => {
      asked.push(afterSeq);
      list = mergeMessages(list, liveBetweenPages[page++] ?? []);
      return server.filter((m) => m.seq > afterSeq).slice(0, SYNC_PAGE_SIZE);
    },
    apply: (got) => (list = mergeMessages(list, got)),
    heldThrough: () => contiguousSeq(list),
    ...(lastSeq === undefined ? {} : { lastSeq: () => lastSeq }),
  });
  return run.then(() => ({ list, asked }));
}

describe('sync paging', () => {
  it('uses the page size the server pages chat:sync with', () => {
    expect(SYNC_PAGE_SIZE).toBe(MESSAGE_PAGE_SIZE);
  });

  it('asks once when caught up: a short page is the end', async () => {
    const server = log(3);
    const { list, asked } = await catchUp(server, server);
    expect(asked).toEqual([3]);
    expect(list).toEqual(server);
  });

  it('asks page after page from the end of the unbroken run until a page is short', async () => {
    const server = log(2 * SYNC_PAGE_SIZE + 7);
    const { list, asked } = await catchUp(server, [msg(1), msg(2), msg(900)]);
    expect(asked).toEqual([2, 2 + SYNC_PAGE_SIZE, 2 + 2 * SYNC_PAGE_SIZE]);
    expect(list).toEqual(server);
  });

  it('needs no page past the server’s known lastSeq, but always asks once', async () => {
    const server = log(2 * SYNC_PAGE_SIZE);
    expect((await catchUp(server, [], [], SYNC_PAGE_SIZE)).asked).toEqual([0]);
    expect((await catchUp(server, server, [], 0)).asked).toEqual([2 * SYNC_PAGE_SIZE]);
  });

  it('ends whatever live events fill in between pages, with every message once and in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 * SYNC_PAGE_SIZE }),
        fc.array(fc.array(fc.integer({ min: 1, max: 3 * SYNC_PAGE_SIZE }), { maxLength: 8 }), { maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 3 * SYNC_PAGE_SIZE }), { maxLength: 10 }),
        async (n, live, held) => {
          const server = log(n);
          const inLog = (seqs: number[]) => seqs.filter((s) => s <= n).map((s) => server[s - 1]!);
          const { list, asked } = await catchUp(server, inLog(held), live.map(inLog));
          expect(list).toEqual(server);
          expect(asked.length).toBeLessThanOrEqual(Math.floor(n / SYNC_PAGE_SIZE) + 1);
          for (let i = 1; i < asked.length; i++) expect(asked[i]).toBeGreaterThan(asked[i - 1]!);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('stops on a server that does not advance, and after MAX_SYNC_PAGES at most', async () => {
    let calls = 0;
    const stuck = Array.from({ length: SYNC_PAGE_SIZE }, () => msg(2));
    await syncPages({ fetchPage: async () => (calls++, stuck), apply: () => {}, heldThrough: () => 0 });
    expect(calls).toBe(1);
    calls = 0;
    let held = 0;
    await syncPages({ fetchPage: async () => (calls++, stuck), apply: () => void (held += SYNC_PAGE_SIZE), heldThrough: () => held });
    expect(calls).toBe(MAX_SYNC_PAGES);
  });

  it('fails with the page that failed, for the next trigger to try again', async () => {
    await expect(syncPages({ fetchPage: () => Promise.reject(new Error('offline')), apply: () => {}, heldThrough: () => 0 })).rejects.toThrow('offline');
  });
});

describe('client ids', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('are unique, and what the clientId schema accepts, with or without a prefix', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newClientId()));
    expect(ids.size).toBe(1000);
    for (const id of [...ids, newClientId('op_'), newClientId('x'.repeat(32))]) expect(clientIdSchema.safeParse(id).success, id).toBe(true);
    expect(newClientId('op_')).toMatch(/^op_[0-9a-f]{32}$/);
  });

  it('come from getRandomValues where randomUUID is missing (an http:// page)', () => {
    vi.stubGlobal('crypto', { getRandomValues: (a: Uint8Array) => a.fill(0xab) });
    expect(newClientId('v')).toBe('v' + 'ab'.repeat(16));
  });

  it('refuse a prefix the schema would refuse', () => {
    expect(() => newClientId('no spaces')).toThrow(/prefix/);
    expect(() => newClientId('x'.repeat(33))).toThrow(/prefix/);
  });
});

describe('the lastAuthor rule', () => {
  const empty: LastMessageSummary = { lastSeq: 0, lastAuthor: null, lastMessageAt: null, preview: '' };

  it('moves only lastSeq on a system note; lastAuthor, preview and time stay the last real message’s', () => {
    const question = msg(1, { author: 'visitor', body: 'Do you ship to Mars?' });
    const joined = msg(2, { author: 'system', authorName: '', body: 'Olivia joined the chat' });
    const afterQuestion = withLastMessage(empty, question);
    expect(afterQuestion).toEqual({ lastSeq: 1, lastAuthor: 'visitor', lastMessageAt: question.createdAt, preview: 'Do you ship to Mars?' });
    expect(withLastMessage(afterQuestion, joined)).toEqual({ ...afterQuestion, lastSeq: 2 });
    expect(movesLastAuthor('system')).toBe(false);
    expect(movesLastAuthor('operator')).toBe(true);
  });

  it('lets a whisper move neither the preview nor who spoke last (W1): the visitor still waits for an answer', () => {
    const asked = withLastMessage(empty, msg(1, { author: 'visitor', body: 'Where is my refund?' }));
    const whispered = withLastMessage(asked, msg(2, { author: 'operator', body: 'Offer the express refund', visibility: 'internal' }));
    expect(whispered).toEqual({ ...asked, lastSeq: 2 });
    expect(visitorState({ status: 'active', lastAuthor: whispered.lastAuthor, hasChattedBefore: false })).toBe('needs_reply');
  });

  it('ignores a message that is not newer than what the conversation says', () => {
    const c = withLastMessage(empty, msg(5, { author: 'operator' }));
    expect(withLastMessage(c, msg(4, { author: 'visitor' }))).toBe(c);
    expect(withLastMessage(c, msg(5, { author: 'visitor' }))).toBe(c);
  });

  it('keeps the visitors grid’s colour that of the latest visitor or operator message, whatever system notes follow', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...AUTHORS), { minLength: 1, maxLength: 20 }), (authors) => {
        const c = authors.reduce((acc, author, i) => withLastMessage(acc, msg(i + 1, { author })), empty);
        const lastReal = authors.filter((a) => a !== 'system').at(-1) ?? null;
        expect(c.lastAuthor).toBe(lastReal);
        expect(c.lastSeq).toBe(authors.length);
        expect(visitorState({ status: 'active', lastAuthor: c.lastAuthor, hasChattedBefore: false })).toBe(lastReal === 'operator' ? 'replied' : 'needs_reply');
      }),
    );
  });

  it('keeps every other field of the conversation', () => {
    const c = { id: 'c1', status: 'active', visitorName: 'Vera', ...empty } as ConversationView;
    expect(withLastMessage(c, msg(1))).toMatchObject({ id: 'c1', status: 'active', visitorName: 'Vera', lastSeq: 1 });
  });
});

describe('the preview rule', () => {
  it('is shared/preview.ts’s: the first line, cut between whole graphemes', () => {
    const body = `${'a'.repeat(PREVIEW_LENGTH - 2)}👨‍👩‍👧‍👦👍🏽 and more\nsecond line`;
    const { preview } = withLastMessage({ lastSeq: 0, lastAuthor: null, lastMessageAt: null, preview: '' }, msg(1, { body }));
    expect(preview).toBe(previewOf(body));
    expect(preview).toBe(`${'a'.repeat(PREVIEW_LENGTH - 2)}👨‍👩‍👧‍👦…`);
    expect(withLastMessage({ lastSeq: 0, lastAuthor: null, lastMessageAt: null, preview: '' }, msg(1, { body: '  Hi\n  there' })).preview).toBe('Hi');
  });
});

describe('limits and timings', () => {
  it('are the ones the schemas enforce', () => {
    const form = {
      clientId: newClientId(),
      name: 'n'.repeat(MAX_NAME_LENGTH),
      email: `${'e'.repeat(MAX_EMAIL_LENGTH - 12)}@example.com`,
      question: 'q'.repeat(MAX_MESSAGE_LENGTH),
    };
    expect(chatStartPayload.safeParse(form).success).toBe(true);
    expect(chatStartPayload.safeParse({ ...form, name: form.name + 'n' }).success).toBe(false);
    expect(chatStartPayload.safeParse({ ...form, email: 'e' + form.email }).success).toBe(false);
    expect(chatStartPayload.safeParse({ ...form, question: form.question + 'q' }).success).toBe(false);
    const send = { conversationId: CONV, clientId: newClientId(), body: 'b'.repeat(MAX_MESSAGE_LENGTH) };
    expect(messageSendPayload.safeParse(send).success).toBe(true);
    expect(messageSendPayload.safeParse({ ...send, body: send.body + 'b' }).success).toBe(false);
  });

  it('keep a typing indicator on while its typist keeps typing, and let a pause end it', () => {
    // A repeat must land before the other side's indicator expires, with room for a slow network.
    expect(TYPING_EXPIRES_MS - TYPING_REPEAT_MS).toBeGreaterThanOrEqual(1000);
    // A typist who pauses is marked stopped before the indicator would just expire.
    expect(TYPING_IDLE_MS).toBeLessThan(TYPING_EXPIRES_MS);
  });
});
