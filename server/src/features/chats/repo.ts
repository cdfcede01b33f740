import { and, asc, desc, eq, gt, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { AuthorType } from '../../../../shared/schemas/chats';
import type { Db } from '../../db/client';
import { conversations, messages, visitors } from '../../db/schema/index';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;

/** Most messages one read returns; a client that gets a full page asks again from the last seq. */
const MESSAGE_PAGE_SIZE = 500;

/**
 * One conversation of the account; with `visitorId`, only if it is that visitor's (a visitor
 * reaches nothing else).
 */
export async function findConversation(db: Db, accountId: string, conversationId: string, visitorId?: string): Promise<ConversationRow | null> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.id, conversationId),
        eq(conversations.accountId, accountId),
        visitorId ? eq(conversations.visitorId, visitorId) : undefined,
      ),
    )
    .limit(1);
  return row ?? null;
}

/** The visitor's waiting or active conversation (there is at most one). */
export async function findOpenConversation(db: Db, accountId: string, visitorId: string): Promise<ConversationRow | null> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.visitorId, visitorId), ne(conversations.status, 'closed')))
    .limit(1);
  return row ?? null;
}

/** The visitor's conversation that already holds a message with this clientId (a repeated chat:start). */
export async function findConversationByClientId(db: Db, accountId: string, visitorId: string, clientId: string): Promise<ConversationRow | null> {
  const [row] = await db
    .select({ conversation: conversations })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(
      and(
        eq(messages.accountId, accountId),
        eq(messages.clientId, clientId),
        eq(conversations.accountId, accountId),
        eq(conversations.visitorId, visitorId),
      ),
    )
    .limit(1);
  return row?.conversation ?? null;
}

/** Waiting and active conversations of the account, oldest first. */
export async function listOpenConversations(db: Db, accountId: string): Promise<ConversationRow[]> {
  return db
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), ne(conversations.status, 'closed')))
    .orderBy(asc(conversations.createdAt), asc(conversations.id));
}

/** Inserts a waiting conversation; null if the visitor already has an open one (unique partial index). */
export async function insertConversation(
  db: Db,
  accountId: string,
  input: { visitorId: string; visitorName: string; visitorEmail: string },
): Promise<ConversationRow | null> {
  const [row] = await db
    .insert(conversations)
    .values({ accountId, ...input })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

/** Stores the pre-chat contact on the visitor and counts the chat. */
export async function setVisitorContact(db: Db, accountId: string, visitorId: string, name: string, email: string): Promise<void> {
  await db
    .update(visitors)
    .set({ name, email, chats: sql`${visitors.chats} + 1` })
    .where(and(eq(visitors.id, visitorId), eq(visitors.accountId, accountId)));
}

/** Messages with seq > afterSeq, in order, at most `limit`. */
export async function messagesAfter(db: Db, accountId: string, conversationId: string, afterSeq: number, limit = MESSAGE_PAGE_SIZE): Promise<MessageRow[]> {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.accountId, accountId), eq(messages.conversationId, conversationId), gt(messages.seq, afterSeq)))
    .orderBy(asc(messages.seq))
    .limit(limit);
}

/** waiting → active with this operator; null if the conversation isn't waiting (or isn't the account's). */
export async function acceptConversation(
  db: Db,
  accountId: string,
  conversationId: string,
  operator: { id: string; name: string },
): Promise<ConversationRow | null> {
  const [row] = await db
    .update(conversations)
    .set({ status: 'active', operatorId: operator.id, operatorName: operator.name, acceptedAt: sql`now()` })
    .where(and(eq(conversations.id, conversationId), eq(conversations.accountId, accountId), eq(conversations.status, 'waiting')))
    .returning();
  return row ?? null;
}

/** → closed; null if already closed (or not the account's). */
export async function closeConversation(db: Db, accountId: string, conversationId: string): Promise<ConversationRow | null> {
  const [row] = await db
    .update(conversations)
    .set({ status: 'closed', closedAt: sql`now()` })
    .where(and(eq(conversations.id, conversationId), eq(conversations.accountId, accountId), ne(conversations.status, 'closed')))
    .returning();
  return row ?? null;
}

/** A message to append. */
export interface NewMessage {
  accountId: string;
  conversationId: string;
  clientId: string;
  author: AuthorType;
  /** For visitor messages: the conversation must be this visitor's, else `not_found`. */
  visitorId?: string;
  operatorId?: string | null;
  /** Defaults to the conversation's visitor name for visitor messages, '' otherwise. */
  authorName?: string;
  body: string;
}

export type AppendResult =
  | {
      ok: true;
      message: MessageRow;
      /** True when the clientId was already stored: `message` is the original, nothing was written. */
      duplicate: boolean;
      /** The conversation after this batch (null for duplicates: it didn't change). */
      conversation: ConversationRow | null;
    }
  | { ok: false; code: 'not_found' | 'chat_closed' };

const PREVIEW_LENGTH = 140;

function previewOf(body: string): string {
  const line = body.split('\n', 1)[0]!.trim();
  return line.length > PREVIEW_LENGTH ? `${line.slice(0, PREVIEW_LENGTH - 1)}…` : line;
}

type Plan =
  | { kind: 'error'; code: 'not_found' | 'chat_closed' }
  /** Was meant to be new; `key` finds the inserted row (or, if it conflicted, the stored one). */
  | { kind: 'new'; key: string };

const keyOf = (conversationId: string, clientId: string) => `${conversationId} ${clientId}`;

/**
 * Appends messages inside the caller's transaction; results are in the order of `items`.
 *
 * The common case is two statements (#3: fewer round trips per batch):
 * 1. `UPDATE conversations SET last_seq = last_seq + n, last author, preview … RETURNING *` for the
 *    open conversations of the batch (n = the batch's distinct clientIds there). Its row lock is
 *    what orders concurrent writers, also on other server processes: until this transaction
 *    ends, nobody else can allocate seqs in, or insert into, these conversations.
 * 2. One multi-row `INSERT … ON CONFLICT (conversation_id, client_id) DO NOTHING RETURNING`
 *    with seqs `last_seq - n + 1 … last_seq`.
 * Only when something didn't go as assumed (a clientId already stored — a resend —, a closed or
 * unknown conversation, a visitor writing to someone else's) the stored rows are looked up and
 * the affected conversations are renumbered gap-free (still under the lock).
 */
export async function appendMessages(tx: Db, items: NewMessage[]): Promise<AppendResult[]> {
  // Distinct new keys per conversation, in arrival order (a clientId repeated within the batch is
  // stored once). Items that will be refused (another account's or visitor's conversation) count
  // too: the rare path below closes the holes they leave.
  const byConv = new Map<string, { keys: Map<string, NewMessage>; author: AuthorType | null; preview: string | null }>();
  for (const item of items) {
    let c = byConv.get(item.conversationId);
    if (!c) byConv.set(item.conversationId, (c = { keys: new Map(), author: null, preview: null }));
    const k = keyOf(item.conversationId, item.clientId);
    if (c.keys.has(k)) continue;
    c.keys.set(k, item);
    // System notes ("joined the chat") don't change who waits for whom.
    if (item.author !== 'system') {
      c.author = item.author;
      c.preview = previewOf(item.body);
    }
  }
  const convs = [...byConv.entries()];
  const caseOf = (value: (c: (typeof convs)[number][1]) => SQL | null, otherwise: SQL) =>
    sql`CASE ${conversations.id} ${sql.join(
      convs.map(([id, c]) => sql`WHEN ${id}::uuid THEN ${value(c) ?? otherwise}`),
      sql` `,
    )} ELSE ${otherwise} END`;

  // 1. Lock, allocate and describe in one statement (closed ones are left out: see below).
  const bumped = await tx
    .update(conversations)
    .set({
      lastSeq: sql`${conversations.lastSeq} + ${caseOf((c) => sql`${c.keys.size}::int`, sql`0`)}`,
      lastAuthor: caseOf((c) => (c.author ? sql`${c.author}::text` : null), sql`${conversations.lastAuthor}`),
      preview: caseOf((c) => (c.preview !== null ? sql`${c.preview}::text` : null), sql`${conversations.preview}`),
      lastMessageAt: caseOf((c) => (c.author ? sql`now()` : null), sql`${conversations.lastMessageAt}`),
    })
    .where(and(inArray(conversations.id, convs.map(([id]) => id)), ne(conversations.status, 'closed')))
    .returning();
  const convById = new Map(bumped.map((c) => [c.id, c]));

  // Conversations not bumped: closed or unknown (rare: one more query).
  const missing = convs.filter(([id]) => !convById.has(id)).map(([id]) => id);
  const closedIds = new Set<string>();
  const unbumped = new Map<string, Pick<ConversationRow, 'accountId' | 'visitorId' | 'status'>>();
  if (missing.length > 0) {
    const rows = await tx
      .select({ id: conversations.id, accountId: conversations.accountId, visitorId: conversations.visitorId, status: conversations.status })
      .from(conversations)
      .where(inArray(conversations.id, missing));
    for (const r of rows) {
      unbumped.set(r.id, r);
      if (r.status === 'closed') closedIds.add(r.id);
    }
  }

  // 2. Plan: seqs in arrival order from each conversation's base.
  const nextSeq = new Map(bumped.map((c) => [c.id, c.lastSeq - byConv.get(c.id)!.keys.size]));
  const plans: Plan[] = [];
  const toInsert = new Map<string, typeof messages.$inferInsert>();
  /** Keys to look up among the stored messages (resends), by key. */
  const lookups = new Map<string, { conversationId: string; clientId: string }>();
  const firstIndex = new Map<string, number>();
  for (const item of items) {
    const k = keyOf(item.conversationId, item.clientId);
    const conv = convById.get(item.conversationId) ?? unbumped.get(item.conversationId);
    // Every repo function is scoped by the account: another account's conversation is not found.
    if (!conv || conv.accountId !== item.accountId || (item.visitorId && conv.visitorId !== item.visitorId)) {
      plans.push({ kind: 'error', code: 'not_found' });
      continue;
    }
    plans.push({ kind: 'new', key: k });
    if (firstIndex.has(k)) continue;
    firstIndex.set(k, plans.length - 1);
    const open = convById.get(item.conversationId);
    if (!open) {
      lookups.set(k, item); // closed: only a stored resend can answer
      continue;
    }
    const seq = nextSeq.get(open.id)! + 1;
    nextSeq.set(open.id, seq);
    toInsert.set(k, {
      accountId: item.accountId,
      conversationId: item.conversationId,
      seq,
      clientId: item.clientId,
      author: item.author,
      operatorId: item.operatorId ?? null,
      authorName: item.authorName ?? (item.author === 'visitor' ? open.visitorName : ''),
      body: item.body,
    });
  }

  // 3. Insert; a conflict means the clientId was stored earlier (a resend).
  const inserted = new Map<string, MessageRow>();
  if (toInsert.size > 0) {
    const rows = await tx
      .insert(messages)
      .values([...toInsert.values()])
      .onConflictDoNothing({ target: [messages.conversationId, messages.clientId] })
      .returning();
    for (const row of rows) inserted.set(keyOf(row.conversationId, row.clientId), row);
  }
  for (const [k, row] of toInsert) if (!inserted.has(k)) lookups.set(k, row);

  // Rare path: resends and refused items leave holes in the allocated seqs; renumber those conversations.
  const stored = new Map<string, MessageRow>();
  if (lookups.size > 0) {
    const rows = await tx
      .select()
      .from(messages)
      .where(
        sql`(${messages.conversationId}, ${messages.clientId}) IN (${sql.join(
          [...lookups.values()].map((l) => sql`(${l.conversationId}::uuid, ${l.clientId}::text)`),
          sql`, `,
        )})`,
      );
    for (const r of rows) stored.set(keyOf(r.conversationId, r.clientId), r);
  }
  const allocated = new Map(bumped.map((c) => [c.id, byConv.get(c.id)!.keys.size]));
  for (const row of inserted.values()) allocated.set(row.conversationId, allocated.get(row.conversationId)! - 1);
  const holey = [...allocated].filter(([, left]) => left !== 0).map(([id]) => id);
  if (holey.length > 0) await renumber(tx, holey, convById, inserted);

  return plans.map((plan, i): AppendResult => {
    if (plan.kind === 'error') return plan.code === 'not_found' ? { ok: false, code: 'not_found' } : { ok: false, code: 'chat_closed' };
    const item = items[i]!;
    const fresh = inserted.get(plan.key);
    if (fresh) {
      // The second of two sends with one clientId in the same batch is a duplicate of the first.
      const duplicate = firstIndex.get(plan.key) !== i;
      return { ok: true, message: fresh, duplicate, conversation: convById.get(item.conversationId) ?? null };
    }
    const old = stored.get(plan.key);
    if (old) return { ok: true, message: old, duplicate: true, conversation: null };
    if (closedIds.has(item.conversationId)) return { ok: false, code: 'chat_closed' };
    throw new Error(`appendMessages: ${plan.key} was neither inserted nor found`);
  });
}

/**
 * Closes the holes left in `ids` (seqs allocated to items that turned out to be resends or were
 * refused): the rows inserted here move down to follow the stored ones, and the conversation's
 * last_seq, last author and preview are recomputed from its messages. Runs under the row lock of
 * step 1, so no other writer sees the intermediate state. Updates `convById` and `inserted`.
 */
async function renumber(tx: Db, ids: string[], convById: Map<string, ConversationRow>, inserted: Map<string, MessageRow>): Promise<void> {
  for (const id of ids) {
    const mine = [...inserted.values()].filter((m) => m.conversationId === id).sort((a, b) => a.seq - b.seq);
    if (mine.length > 0) await tx.delete(messages).where(inArray(messages.id, mine.map((m) => m.id)));
    const [top] = await tx
      .select({ seq: sql<number>`coalesce(max(${messages.seq}), 0)::int` })
      .from(messages)
      .where(eq(messages.conversationId, id));
    let seq = top?.seq ?? 0;
    if (mine.length > 0) {
      const rows = await tx
        .insert(messages)
        .values(mine.map(({ id: _id, ...m }) => ({ ...m, seq: ++seq })))
        .returning();
      for (const r of rows) inserted.set(keyOf(r.conversationId, r.clientId), r);
    }
    const [last] = await tx
      .select({ author: messages.author, body: messages.body, createdAt: messages.createdAt })
      .from(messages)
      .where(and(eq(messages.conversationId, id), ne(messages.author, 'system')))
      .orderBy(desc(messages.seq))
      .limit(1);
    const [row] = await tx
      .update(conversations)
      .set({
        lastSeq: seq,
        lastAuthor: last?.author ?? null,
        preview: last ? previewOf(last.body) : '',
        lastMessageAt: last?.createdAt ?? null,
      })
      .where(eq(conversations.id, id))
      .returning();
    if (row) convById.set(id, row);
  }
}
