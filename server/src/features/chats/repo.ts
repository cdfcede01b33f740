import { and, asc, eq, gt, ne, sql, type SQL } from 'drizzle-orm';
import { previewOfMessage } from '../../../../shared/preview';
import type { AuthorType, MessageVisibility } from '../../../../shared/schemas/chats';
import type { Audience } from '../../access/actor';
import type { Database, Db } from '../../db/client';
import { sqlState } from '../../db/errors';
import { jsonArgument, type JsonArgument } from '../../db/json';
import { queryRows, rowFromJson } from '../../db/raw';
import { conversations, messages, visitorInvitations, visitors } from '../../db/schema/index';
import type { InvitationRow } from '../../db/schema/visitors';

export type { ConversationRow, MessageRow } from '../../db/schema/chats';
import type { ConversationRow, MessageRow } from '../../db/schema/chats';

/** Most messages one read returns; a client that gets a full page asks again from the last seq. */
export const MESSAGE_PAGE_SIZE = 500;

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
      and(eq(messages.accountId, accountId), eq(messages.clientId, clientId), eq(conversations.accountId, accountId), eq(conversations.visitorId, visitorId)),
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

/** The active conversations an operator accepted (their visitors follow the operator's presence, #5). */
export async function listActiveConversationsOf(db: Db, accountId: string, operatorId: string): Promise<ConversationRow[]> {
  return db
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.status, 'active'), eq(conversations.operatorId, operatorId)));
}

/** Inserts a waiting conversation; null if the visitor already has an open one (unique partial index). */
export async function insertConversation(
  db: Db,
  accountId: string,
  input: { visitorId: string; visitorName: string; visitorEmail: string; departmentId?: string | null },
): Promise<ConversationRow | null> {
  const [row] = await db
    .insert(conversations)
    // P3 blue: the visitor chatted before (their earlier conversations; this one is not stored yet).
    .values({
      accountId,
      ...input,
      returningVisitor: sql`EXISTS (SELECT 1 FROM conversations p WHERE p.visitor_id = ${input.visitorId} AND p.account_id = ${accountId})`,
    })
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

/**
 * Messages after `afterSeq` that `audience` may read, in order, at most `limit`. For a visitor
 * (`public`) the position is in the visitor's own sequence (#6: `visitor_seq`), else `seq`.
 */
export async function messagesAfter(
  db: Db,
  audience: Audience,
  accountId: string,
  conversationId: string,
  afterSeq: number,
  limit = MESSAGE_PAGE_SIZE,
): Promise<MessageRow[]> {
  return db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.accountId, accountId),
        eq(messages.conversationId, conversationId),
        // #5: a visitor's reads never include an internal message.
        audience === 'public' ? and(gt(messages.visitorSeq, afterSeq), eq(messages.visibility, 'public')) : gt(messages.seq, afterSeq),
      ),
    )
    .orderBy(asc(audience === 'public' ? messages.visitorSeq : messages.seq))
    .limit(limit);
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

/**
 * P5 (#6): closed → active with this operator (its load counts it from now); null if it is not
 * closed (any more). Throws a unique violation (23505) if the visitor has another open chat.
 */
export async function reopenConversation(
  tx: Db,
  accountId: string,
  conversationId: string,
  operator: { id: string; name: string },
  now: SQL,
): Promise<ConversationRow | null> {
  const [row] = await tx
    .update(conversations)
    .set({ status: 'active', operatorId: operator.id, operatorName: operator.name, acceptedAt: now, closedAt: null, escalationLevel: 0 })
    .where(and(eq(conversations.id, conversationId), eq(conversations.accountId, accountId), eq(conversations.status, 'closed')))
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
  /** `internal`: operators only (whispers, notes); never reaches the visitor (#5). Default `public`. */
  visibility?: MessageVisibility;
  /** The file it carries (#5, P7), already checked to be one of the conversation's; its name makes the preview of a message without a caption. */
  file?: { id: string; name: string };
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
  | { ok: false; code: 'not_found' | 'chat_closed' | 'not_your_chat' };

/**
 * What a concurrent writer on another node can make `append_messages` fail with, changing
 * nothing: unique_violation (it stored the same clientId since this statement's snapshot) and
 * deadlock_detected (two batches locking shared conversations in opposite orders).
 */
const RETRYABLE_SQLSTATES = new Set(['23505', '40P01']);

/** How often a batch is re-run after losing such a race (a retry sees the winner's row as stored). */
const RACE_RETRIES = 3;

type AppendRow = {
  idx: number;
  kind: 'new' | 'stored' | 'closed' | 'not_assignee';
  message: Record<string, unknown> | null;
  conversation: Record<string, unknown> | null;
};

/**
 * The SQL function `append_messages` (server/drizzle/0002_append_messages_keyed.sql, replacing
 * 0001's) stores a batch in one statement (Q1, #3). Within it:
 * - items whose conversation isn't the sender's account's (or, for a visitor, theirs) are
 *   answered `not_found`, store nothing and change nothing;
 * - resends (the clientId is already stored in that conversation) are answered with the stored
 *   message, its original seq;
 * - one UPDATE per conversation allocates the seqs of its new messages (gap-free, in arrival
 *   order) and sets the last author, preview and time; its row lock orders concurrent writers,
 *   also on other server processes; a conversation closed meanwhile answers `chat_closed`;
 * - #7: an operator's public message into a chat assigned to another operator answers
 *   `not_your_chat` (whispers, `internal`, are not refused here);
 * - one multi-row INSERT stores the new messages.
 * Items with a clientId repeated within the batch are stored once: the later ones are duplicates.
 * This builds its argument and reads its rows back into results in the order of `items`.
 */
function appendCall(items: NewMessage[]): { json: JsonArgument; read: (rows: AppendRow[]) => AppendResult[] } {
  const first = new Map<string, number>();
  const input: object[] = [];
  items.forEach((item, idx) => {
    const key = `${item.conversationId} ${item.clientId}`;
    if (first.has(key)) return;
    first.set(key, idx);
    input.push({
      idx,
      account_id: item.accountId,
      conversation_id: item.conversationId,
      client_id: item.clientId,
      author: item.author,
      visitor_id: item.visitorId ?? null,
      operator_id: item.operatorId ?? null,
      author_name: item.authorName ?? null,
      body: item.body,
      preview: previewOfMessage(item),
      visibility: item.visibility ?? 'public',
      file_id: item.file?.id ?? null,
    });
  });
  const read = (rows: AppendRow[]) => {
    const byIdx = new Map(rows.map((r) => [r.idx, r]));
    return items.map((item, i): AppendResult => {
      const firstIdx = first.get(`${item.conversationId} ${item.clientId}`)!;
      const row = byIdx.get(firstIdx);
      if (!row) return { ok: false, code: 'not_found' };
      if (row.kind === 'closed') return { ok: false, code: 'chat_closed' };
      if (row.kind === 'not_assignee') return { ok: false, code: 'not_your_chat' };
      const message = rowFromJson(messages, row.message!);
      // The second of two sends with one clientId in the same batch is a duplicate of the first.
      if (row.kind === 'stored' || firstIdx !== i) return { ok: true, message, duplicate: true, conversation: null };
      return { ok: true, message, duplicate: false, conversation: rowFromJson(conversations, row.conversation!) };
    });
  };
  return { json: jsonArgument(input), read };
}

/** Appends messages within the caller's transaction (chat start, accept, close); see {@link appendCall}. */
export async function appendMessages(tx: Db, items: NewMessage[]): Promise<AppendResult[]> {
  const call = appendCall(items);
  return call.read(await queryRows<AppendRow>(tx, sql`SELECT * FROM append_messages(${call.json}::jsonb)`));
}

/**
 * Appends a batch as its own transaction: the group-commit writer's one round trip. A
 * concurrent writer that stored the same clientId after this statement's snapshot (a resend that
 * reached another node) makes the INSERT fail with a unique violation before anything is
 * committed; run again, the statement sees that row as stored. So is a deadlock between two
 * nodes' batches retried.
 */
export async function appendMessageBatch(database: Pick<Database, 'callJson'>, items: NewMessage[]): Promise<AppendResult[]> {
  const call = appendCall(items);
  for (let attempt = 0; ; attempt++) {
    try {
      return call.read(await database.callJson<AppendRow>('append_messages', call.json));
    } catch (err) {
      if (attempt >= RACE_RETRIES || !RETRYABLE_SQLSTATES.has(sqlState(err) ?? '')) throw err;
    }
  }
}

/**
 * P4: a chat an operator opens (from the grid, or an accepted invitation): the visitor's contact
 * as far as it is known, `active` with the operator when there is one, `waiting` otherwise (a
 * rule's invitation: routing takes it from there). Null if the visitor isn't the account's or
 * already has an open conversation (unique partial index).
 */
export async function insertOpenedConversation(
  db: Db,
  accountId: string,
  visitorId: string,
  operator: { id: string; name: string } | null,
  departmentId: string | null = null,
): Promise<ConversationRow | null> {
  const [visitor] = await db
    .update(visitors)
    .set({ chats: sql`${visitors.chats} + 1` })
    .where(and(eq(visitors.id, visitorId), eq(visitors.accountId, accountId)))
    .returning({ name: visitors.name, email: visitors.email });
  if (!visitor) return null;
  const [row] = await db
    .insert(conversations)
    .values({
      accountId,
      visitorId,
      visitorName: visitor.name ?? '',
      visitorEmail: visitor.email ?? '',
      departmentId,
      ...(operator ? { status: 'active' as const, operatorId: operator.id, operatorName: operator.name, acceptedAt: sql`now()` } : {}),
    })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

/**
 * P4: takes the visitor's pending invitation (accepted, answered now) and mirrors it on the
 * visitor's row; null if it is not theirs or not pending any more.
 */
export async function takeInvitation(db: Db, accountId: string, visitorId: string, invitationId: string): Promise<InvitationRow | null> {
  const [row] = await db
    .update(visitorInvitations)
    .set({ state: 'accepted', answeredAt: sql`now()` })
    .where(
      and(
        eq(visitorInvitations.id, invitationId),
        eq(visitorInvitations.accountId, accountId),
        eq(visitorInvitations.visitorId, visitorId),
        eq(visitorInvitations.state, 'pending'),
      ),
    )
    .returning();
  if (!row) return null;
  await db
    .update(visitors)
    .set({ invitationState: 'accepted' })
    .where(and(eq(visitors.id, visitorId), eq(visitors.accountId, accountId)));
  return row;
}

/** The visitor's invitation (any state), to answer a repeated or late accept. */
export async function findInvitation(db: Db, accountId: string, visitorId: string, invitationId: string): Promise<InvitationRow | null> {
  const [row] = await db
    .select()
    .from(visitorInvitations)
    .where(and(eq(visitorInvitations.id, invitationId), eq(visitorInvitations.accountId, accountId), eq(visitorInvitations.visitorId, visitorId)))
    .limit(1);
  return row ?? null;
}

/** Links the accepted invitation to the chat it started. */
export async function linkInvitation(db: Db, accountId: string, invitationId: string, conversationId: string): Promise<void> {
  await db
    .update(visitorInvitations)
    .set({ conversationId })
    .where(and(eq(visitorInvitations.id, invitationId), eq(visitorInvitations.accountId, accountId)));
}
