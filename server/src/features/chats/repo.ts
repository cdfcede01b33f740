import { and, asc, eq, gt, inArray, ne, sql, type SQL } from 'drizzle-orm';
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
      /** The batch changed who spoke last (drives the visitor's colour state). */
      lastAuthorChanged: boolean;
    }
  | { ok: false; code: 'not_found' | 'chat_closed' };

const PREVIEW_LENGTH = 140;

function previewOf(body: string): string {
  const line = body.split('\n', 1)[0]!.trim();
  return line.length > PREVIEW_LENGTH ? `${line.slice(0, PREVIEW_LENGTH - 1)}…` : line;
}

/**
 * Appends messages inside the caller's transaction; results are in the order of `items`.
 *
 * 1. Locks the conversations (ordered by id, so two writers never deadlock). From here on no
 *    other transaction can add to them, also on another server process.
 * 2. Finds clientIds already stored → those items resolve to the stored message.
 * 3. Allocates seqs gap-free to the rest (a clientId repeated within the batch is stored once).
 * 4. One UPDATE of the conversations (last_seq, last author, preview), one multi-row INSERT.
 */
export async function appendMessages(tx: Db, items: NewMessage[]): Promise<AppendResult[]> {
  const key = (conversationId: string, clientId: string) => `${conversationId} ${clientId}`;
  const convIds = [...new Set(items.map((i) => i.conversationId))].sort();

  const locked = await tx
    .select({
      id: conversations.id,
      accountId: conversations.accountId,
      visitorId: conversations.visitorId,
      visitorName: conversations.visitorName,
      status: conversations.status,
      lastSeq: conversations.lastSeq,
      lastAuthor: conversations.lastAuthor,
    })
    .from(conversations)
    .where(inArray(conversations.id, convIds))
    .orderBy(asc(conversations.id))
    .for('update');
  const convById = new Map(locked.map((c) => [c.id, { ...c, preview: null as string | null, newAuthor: null as AuthorType | null, changed: false }]));

  const stored = await tx
    .select()
    .from(messages)
    .where(and(inArray(messages.conversationId, convIds), inArray(messages.clientId, [...new Set(items.map((i) => i.clientId))])));
  const storedByKey = new Map(stored.map((m) => [key(m.conversationId, m.clientId), m]));

  type Plan = { kind: 'error'; code: 'not_found' | 'chat_closed' } | { kind: 'stored'; message: MessageRow } | { kind: 'new'; key: string };
  const plans: Plan[] = [];
  const toInsert = new Map<string, typeof messages.$inferInsert>();
  for (const item of items) {
    const conv = convById.get(item.conversationId);
    const k = key(item.conversationId, item.clientId);
    const existing = storedByKey.get(k);
    if (!conv || conv.accountId !== item.accountId || (item.visitorId && conv.visitorId !== item.visitorId)) {
      plans.push({ kind: 'error', code: 'not_found' });
    } else if (existing) {
      plans.push({ kind: 'stored', message: existing });
    } else if (toInsert.has(k)) {
      plans.push({ kind: 'new', key: k });
    } else if (conv.status === 'closed') {
      plans.push({ kind: 'error', code: 'chat_closed' });
    } else {
      conv.lastSeq += 1;
      conv.changed = true;
      // System notes ("joined the chat") don't change who waits for whom.
      if (item.author !== 'system') {
        conv.newAuthor = item.author;
        conv.preview = previewOf(item.body);
      }
      toInsert.set(k, {
        accountId: item.accountId,
        conversationId: item.conversationId,
        seq: conv.lastSeq,
        clientId: item.clientId,
        author: item.author,
        operatorId: item.operatorId ?? null,
        authorName: item.authorName ?? (item.author === 'visitor' ? conv.visitorName : ''),
        body: item.body,
      });
      plans.push({ kind: 'new', key: k });
    }
  }

  const updatedById = new Map<string, ConversationRow>();
  const inserted = new Map<string, MessageRow>();
  const changed = [...convById.values()].filter((c) => c.changed);
  if (changed.length > 0) {
    const caseOf = (otherwise: SQL, value: (c: (typeof changed)[number]) => SQL) =>
      sql`CASE ${conversations.id} ${sql.join(
        changed.map((c) => sql`WHEN ${c.id}::uuid THEN ${value(c)}`),
        sql` `,
      )} ELSE ${otherwise} END`;
    const updated = await tx
      .update(conversations)
      .set({
        lastSeq: caseOf(sql`${conversations.lastSeq}`, (c) => sql`${c.lastSeq}::int`),
        lastAuthor: caseOf(sql`${conversations.lastAuthor}`, (c) => (c.newAuthor ? sql`${c.newAuthor}::text` : sql`${conversations.lastAuthor}`)),
        preview: caseOf(sql`${conversations.preview}`, (c) => (c.preview !== null ? sql`${c.preview}::text` : sql`${conversations.preview}`)),
        lastMessageAt: caseOf(sql`${conversations.lastMessageAt}`, (c) => (c.newAuthor ? sql`now()` : sql`${conversations.lastMessageAt}`)),
      })
      .where(inArray(conversations.id, changed.map((c) => c.id)))
      .returning();
    for (const row of updated) updatedById.set(row.id, row);

    const rows = await tx
      .insert(messages)
      .values([...toInsert.values()])
      .onConflictDoNothing({ target: [messages.conversationId, messages.clientId] })
      .returning();
    for (const row of rows) inserted.set(key(row.conversationId, row.clientId), row);
    // Every row must be there: the conversations are locked, so nobody else can have inserted them.
    if (rows.length !== toInsert.size) throw new Error(`appendMessages: inserted ${rows.length} of ${toInsert.size} rows`);
  }

  const returned = new Set<string>();
  return plans.map((plan, i): AppendResult => {
    if (plan.kind === 'error') return { ok: false, code: plan.code };
    if (plan.kind === 'stored') return { ok: true, message: plan.message, duplicate: true, conversation: null, lastAuthorChanged: false };
    const conv = convById.get(items[i]!.conversationId)!;
    // The second of two sends with one clientId in the same batch is a duplicate of the first.
    const duplicate = returned.has(plan.key);
    returned.add(plan.key);
    return {
      ok: true,
      message: inserted.get(plan.key)!,
      duplicate,
      conversation: updatedById.get(conv.id) ?? null,
      lastAuthorChanged: conv.newAuthor !== null && conv.newAuthor !== conv.lastAuthor,
    };
  });
}
