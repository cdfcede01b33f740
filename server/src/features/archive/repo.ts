import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { ArchiveCursor, ArchiveRatingFilter } from '../../../../shared/schemas/archive';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/raw';
import { chatArchive, conversations, departments, operators, visitors } from '../../db/schema/index';

/**
 * The text search configuration of the archive: 'simple' lower-cases and splits words, without
 * stemming or stop words, so a search finds the word typed in any language a chat was held in.
 */
const CONFIG = sql.raw(`'simple'`);
/** Most characters of a chat's messages that go into its document (a tsvector holds at most 1 MB). */
const MAX_DOCUMENT_CHARS = 200_000;
const MAX_PREVIEW_CHARS = 200;
const MAX_SNIPPET_SOURCE_CHARS = 2_000;

/**
 * (Re)writes the archive rows of these conversations of the account from what the database holds
 * now, in one statement per step: a closed one is indexed (again: a rating given later, a chat
 * closed again), one that is not closed (any more) leaves the archive. Idempotent: the job
 * `archive.index`, the backfill and the benchmark all call this. Internal messages are part of
 * the document: the archive is for operators only, who read them anyway.
 */
export async function indexConversations(db: Db, accountId: string, conversationIds: readonly string[]): Promise<{ indexed: number; removed: number }> {
  if (!conversationIds.length) return { indexed: 0, removed: 0 };
  const ids = uuidArray(conversationIds);
  // Messages of the conversation row being indexed; (conversation_id, seq) is messages' own index.
  const ofChat = sql`m.conversation_id = c.id AND m.account_id = c.account_id`;
  const indexed = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO chat_archive AS a (conversation_id, account_id, visitor_id, closed_at, visitor_name, visitor_email, operator_id, operator_name,
          department_id, rating, message_count, preview, document, indexed_at)
        SELECT c.id, c.account_id, c.visitor_id, c.closed_at, c.visitor_name, lower(c.visitor_email), c.operator_id, c.operator_name,
          c.department_id, r.score,
          (SELECT count(*) FROM messages m WHERE ${ofChat} AND m.author <> 'system')::int,
          coalesce((SELECT left(m.body, ${MAX_PREVIEW_CHARS}::int) FROM messages m
                    WHERE ${ofChat} AND m.author = 'visitor' AND m.visibility = 'public' AND m.body <> '' ORDER BY m.seq LIMIT 1), ''),
          to_tsvector(${CONFIG}, c.visitor_name || ' ' || c.visitor_email)
            || to_tsvector(${CONFIG}, coalesce((SELECT left(string_agg(m.body, E'\n' ORDER BY m.seq), ${MAX_DOCUMENT_CHARS}::int)
                                                FROM messages m WHERE ${ofChat} AND m.author <> 'system'), '')),
          now()
        FROM conversations c
        LEFT JOIN chat_ratings r ON r.conversation_id = c.id AND r.account_id = c.account_id
        WHERE c.account_id = ${accountId} AND c.id = ANY(${ids}) AND c.status = 'closed' AND c.closed_at IS NOT NULL
        ON CONFLICT (conversation_id) DO UPDATE SET
          closed_at = excluded.closed_at, visitor_name = excluded.visitor_name, visitor_email = excluded.visitor_email,
          operator_id = excluded.operator_id, operator_name = excluded.operator_name, department_id = excluded.department_id,
          rating = excluded.rating, message_count = excluded.message_count, preview = excluded.preview,
          document = excluded.document, indexed_at = excluded.indexed_at
        RETURNING a.conversation_id AS id`,
  );
  const removed = await queryRows<{ id: string }>(
    db,
    sql`DELETE FROM chat_archive a USING conversations c
        WHERE a.account_id = ${accountId} AND a.conversation_id = ANY(${ids})
          AND c.id = a.conversation_id AND c.account_id = a.account_id AND c.status <> 'closed'
        RETURNING a.conversation_id AS id`,
  );
  return { indexed: indexed.length, removed: removed.length };
}

/**
 * Closed conversations not in the archive yet, after `after` (account, id), up to `limit`: the
 * backfill's next batch (chats closed before the archive existed, or whose job was lost).
 */
export async function unindexedClosedConversations(
  db: Db,
  after: { accountId: string; id: string } | null,
  limit: number,
): Promise<{ accountId: string; id: string }[]> {
  return db
    .select({ accountId: conversations.accountId, id: conversations.id })
    .from(conversations)
    .leftJoin(chatArchive, eq(chatArchive.conversationId, conversations.id))
    .where(
      and(
        eq(conversations.status, 'closed'),
        isNull(chatArchive.conversationId),
        after ? sql`(${conversations.accountId}, ${conversations.id}) > (${after.accountId}::uuid, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(conversations.accountId, conversations.id)
    .limit(limit);
}

/** One array parameter of uuids (checked by the callers' schemas), not a parameter each. */
const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** The account's search, as the service has checked it. */
export interface ArchiveQuery {
  text?: string | undefined;
  /** Lower-cased prefix of the visitor's name or email. */
  visitorPrefix?: string | undefined;
  visitorId?: string | undefined;
  visitorEmail?: string | undefined;
  operatorId?: string | undefined;
  departmentId?: string | undefined;
  rating?: ArchiveRatingFilter | undefined;
  closedFrom?: Date | undefined;
  closedBefore?: Date | undefined;
  cursor?: ArchiveCursor | undefined;
  limit: number;
}

export interface ArchiveHit {
  conversationId: string;
  visitorId: string;
  visitorName: string;
  visitorEmail: string;
  operatorId: string | null;
  operatorName: string | null;
  departmentId: string | null;
  departmentName: string | null;
  closedAt: Date;
  closedAtMicros: string;
  rating: 'good' | 'bad' | null;
  messageCount: number;
  preview: string;
}

/** `LIKE` pattern for "starts with": the user's % and _ are literal. */
const startsWith = (prefix: string) => `${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
const tsquery = (text: string) => sql`websearch_to_tsquery(${CONFIG}, ${text})`;

/** One page of the account's archive, newest first (`limit` + 1 rows tell the caller whether more follow). */
export async function searchArchive(db: Db, accountId: string, q: ArchiveQuery): Promise<ArchiveHit[]> {
  const a = chatArchive;
  const where: (SQL | undefined)[] = [eq(a.accountId, accountId)];
  if (q.text) where.push(sql`${a.document} @@ ${tsquery(q.text)}`);
  if (q.visitorPrefix) {
    const p = startsWith(q.visitorPrefix);
    where.push(sql`(lower(${a.visitorName}) LIKE ${p} OR ${a.visitorEmail} LIKE ${p})`);
  }
  if (q.visitorId && q.visitorEmail) where.push(sql`(${a.visitorId} = ${q.visitorId} OR ${a.visitorEmail} = ${q.visitorEmail.toLowerCase()})`);
  else if (q.visitorId) where.push(eq(a.visitorId, q.visitorId));
  else if (q.visitorEmail) where.push(eq(a.visitorEmail, q.visitorEmail.toLowerCase()));
  if (q.operatorId) where.push(eq(a.operatorId, q.operatorId));
  if (q.departmentId) where.push(eq(a.departmentId, q.departmentId));
  if (q.rating) where.push(q.rating === 'none' ? isNull(a.rating) : eq(a.rating, q.rating));
  if (q.closedFrom) where.push(sql`${a.closedAt} >= ${q.closedFrom.toISOString()}::timestamptz`);
  if (q.closedBefore) where.push(sql`${a.closedAt} < ${q.closedBefore.toISOString()}::timestamptz`);
  if (q.cursor) {
    const at = sql`(timestamptz 'epoch' + ${q.cursor.closedAtMicros}::bigint * interval '1 microsecond')`;
    where.push(sql`(${a.closedAt}, ${a.conversationId}) < (${at}, ${q.cursor.id}::uuid)`);
  }
  return (
    db
      .select({
        conversationId: a.conversationId,
        visitorId: a.visitorId,
        visitorName: a.visitorName,
        visitorEmail: a.visitorEmail,
        operatorId: a.operatorId,
        operatorName: a.operatorName,
        departmentId: a.departmentId,
        departmentName: departments.name,
        closedAt: a.closedAt,
        closedAtMicros: sql<string>`(extract(epoch from ${a.closedAt}) * 1000000)::bigint::text`,
        rating: a.rating,
        messageCount: a.messageCount,
        preview: a.preview,
      })
      .from(a)
      .leftJoin(departments, and(eq(departments.id, a.departmentId), eq(departments.accountId, a.accountId)))
      .where(and(...where))
      // NULLS LAST as the index has it (the columns are never null), so the index gives the order.
      .orderBy(sql`${a.closedAt} DESC NULLS LAST`, sql`${a.conversationId} DESC NULLS LAST`)
      .limit(q.limit)
  );
}

/**
 * For each of these conversations of the account, its first message (internal ones too: readers
 * are operators) with the words of `text`, cut to MAX_SNIPPET_SOURCE_CHARS: the result's snippet.
 * Only a page's worth of chats, and each stops at its first match.
 */
export async function firstMatchingMessages(
  db: Db,
  accountId: string,
  conversationIds: readonly string[],
  text: string,
): Promise<Map<string, { body: string; internal: boolean }>> {
  if (!conversationIds.length) return new Map();
  const ids = uuidArray(conversationIds);
  const rows = await queryRows<{ id: string; body: string; visibility: string }>(
    db,
    sql`SELECT p.id, s.body, s.visibility
        FROM unnest(${ids}) AS p(id)
        CROSS JOIN LATERAL (
          SELECT left(m.body, ${MAX_SNIPPET_SOURCE_CHARS}::int) AS body, m.visibility FROM messages m
          WHERE m.conversation_id = p.id AND m.account_id = ${accountId} AND m.author <> 'system'
            AND to_tsvector(${CONFIG}, m.body) @@ ${tsquery(text)}
          ORDER BY m.seq LIMIT 1
        ) s`,
  );
  return new Map(rows.map((r) => [r.id, { body: r.body, internal: r.visibility === 'internal' }]));
}

/** Which of these ids the account has: an operator, a department, a visitor (a filter naming another account's is not_found). */
export async function accountHas(db: Db, accountId: string, what: 'operator' | 'department' | 'visitor', id: string): Promise<boolean> {
  const table = what === 'operator' ? operators : what === 'department' ? departments : visitors;
  const [row] = await db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.id, id), eq(table.accountId, accountId)))
    .limit(1);
  return !!row;
}
