import { and, desc, eq, gt, inArray, ne, or, sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import { jsonArgument } from '../../db/json';
import { queryRows, rowFromJson } from '../../db/raw';
import { conversations, messages, pageViews, visitors } from '../../db/schema/index';
import type { ConversationRow, MessageRow } from '../../db/schema/chats';

export type VisitorRow = typeof visitors.$inferSelect;

/** After this long without activity, the next connect or page view starts a new visit. */
const VISIT_GAP = sql`interval '30 minutes'`;

/** A visitor row with the bits of its open conversation the grid needs. */
export interface VisitorWithChat {
  visitor: VisitorRow;
  chat: { id: string; status: 'waiting' | 'active' | 'closed'; lastAuthor: 'visitor' | 'operator' | 'system' | null } | null;
}

/** Where the visitor's connection comes from (refreshed on every connect). */
export interface VisitorOrigin {
  ip: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  userAgent: string | null;
  browser: string | null;
  platform: string | null;
}

/** What a widget handshake needs, read and written by {@link connectVisitor} in one statement. */
export interface VisitorConnection {
  visitor: VisitorRow;
  /** The visitor's open (waiting or active) conversation, if any. */
  conversation: ConversationRow | null;
  /** Its messages after the seq the widget said it holds (the first page of them). */
  messages: MessageRow[];
}

// Evaluated against the row before the update: was the last activity long enough ago?
// (connect_visitor, server/drizzle/0005, applies the same 30 minutes.)
const newVisit = sql`${visitors.lastSeenAt} < now() - ${VISIT_GAP}`;

/**
 * A widget's handshake in one call of the SQL function `connect_visitor` (#4: after a restart
 * every widget connects at once; server/drizzle/0005_connect_visitor.sql): the claimed visitor is
 * marked as seen from `origin` (a new visit, visits + 1 and pages reset, when the last activity is
 * older than the visit gap), or a new visitor is made when there is no valid claim (none, or not
 * this account's); then their open conversation and its messages after `known.seq` (if the widget
 * holds that conversation) are read.
 */
export async function connectVisitor(
  database: Pick<Database, 'callJson'>,
  accountId: string,
  claimedVisitorId: string | null,
  origin: VisitorOrigin,
  known: { conversationId: string; seq: number } | null,
  pageSize: number,
): Promise<VisitorConnection> {
  const [row] = await database.callJson<{
    visitor: Record<string, unknown>;
    conversation: Record<string, unknown> | null;
    messages: Record<string, unknown>[] | null;
  }>(
    'connect_visitor',
    jsonArgument({
      account_id: accountId,
      visitor_id: claimedVisitorId,
      origin,
      known_conversation_id: known?.conversationId ?? null,
      known_seq: known?.seq ?? 0,
      page_size: pageSize,
    }),
  );
  if (!row) throw new Error('connect_visitor returned no row');
  return {
    visitor: rowFromJson(visitors, row.visitor),
    conversation: row.conversation ? rowFromJson(conversations, row.conversation) : null,
    messages: (row.messages ?? []).map((m) => rowFromJson(messages, m)),
  };
}

/**
 * Records a page view — the visitor's current page, one more page viewed (or a new visit), one
 * history row — and returns the visitor as the grid shows it; null if the visitor isn't the
 * account's. One statement, so one round trip for the most frequent write of idle visitors (#3).
 */
export async function recordPageView(
  db: Db,
  accountId: string,
  visitorId: string,
  page: { url: string; title: string; referrer: string; language: string; screen: string | null; timezone: string | null },
): Promise<VisitorWithChat | null> {
  const [row] = await queryRows<{ visitor: Record<string, unknown>; chat: VisitorWithChat['chat'] }>(
    db,
    sql`WITH v AS (
      UPDATE visitors SET
        current_url = ${page.url},
        page_title = ${page.title},
        -- The referrer of the visit's landing page is the interesting one; keep it for in-site navigation.
        referrer = CASE WHEN ${newVisit} OR referrer IS NULL OR referrer = '' THEN ${page.referrer}::text ELSE referrer END,
        language = ${page.language || null},
        screen = coalesce(${page.screen}::text, screen),
        timezone = coalesce(${page.timezone}::text, timezone),
        visits = CASE WHEN ${newVisit} THEN visits + 1 ELSE visits END,
        visit_started_at = CASE WHEN ${newVisit} THEN now() ELSE visit_started_at END,
        pages_viewed = CASE WHEN ${newVisit} THEN 1 ELSE pages_viewed + 1 END,
        last_seen_at = now()
      WHERE id = ${visitorId} AND account_id = ${accountId}
      RETURNING *
    ),
    history AS (
      INSERT INTO page_views (account_id, visitor_id, url, title, referrer)
      SELECT account_id, id, ${page.url}, ${page.title}, ${page.referrer} FROM v
    )
    SELECT row_to_json(v) AS visitor,
      (SELECT json_build_object('id', c.id, 'status', c.status, 'lastAuthor', c.last_author) FROM conversations c
        WHERE c.visitor_id = v.id AND c.account_id = v.account_id AND c.status <> 'closed' LIMIT 1) AS chat
    FROM v`,
  );
  return row ? { visitor: rowFromJson(visitors, row.visitor), chat: row.chat } : null;
}

export async function markVisitorSeen(db: Db, accountId: string, visitorId: string): Promise<void> {
  await db
    .update(visitors)
    .set({ lastSeenAt: sql`now()` })
    .where(and(eq(visitors.id, visitorId), eq(visitors.accountId, accountId)));
}

function selectWithChat(db: Db) {
  return db
    .select({
      visitor: visitors,
      chat: { id: conversations.id, status: conversations.status, lastAuthor: conversations.lastAuthor },
    })
    .from(visitors)
    .leftJoin(
      conversations,
      and(eq(conversations.visitorId, visitors.id), eq(conversations.accountId, visitors.accountId), ne(conversations.status, 'closed')),
    );
}

export async function findVisitorWithChat(db: Db, accountId: string, visitorId: string): Promise<VisitorWithChat | null> {
  const [row] = await selectWithChat(db)
    .where(and(eq(visitors.id, visitorId), eq(visitors.accountId, accountId)))
    .limit(1);
  return row ?? null;
}

/** The grid: the given (online) visitors plus everyone seen within `recentMinutes`, most recent first. */
export async function listVisitorsWithChat(
  db: Db,
  accountId: string,
  opts: { onlineIds: string[]; recentMinutes: number; limit: number },
): Promise<VisitorWithChat[]> {
  return selectWithChat(db)
    .where(
      and(
        eq(visitors.accountId, accountId),
        or(inArray(visitors.id, opts.onlineIds), gt(visitors.lastSeenAt, sql`now() - make_interval(mins => ${opts.recentMinutes}::int)`)),
      ),
    )
    .orderBy(desc(visitors.lastSeenAt))
    .limit(opts.limit);
}

/**
 * Deletes the visitor and everything of theirs — their conversations with every message, and
 * their page views — in one transaction (#4, "forget this visitor"). Returns the ids of the
 * conversations that went with them, or null if the account has no such visitor (then nothing
 * is deleted: every statement is scoped to the account, and a visitor's rows share its account).
 */
export async function deleteVisitor(db: Db, accountId: string, visitorId: string): Promise<{ conversationIds: string[] } | null> {
  return db.transaction(async (tx) => {
    const theirs = and(eq(conversations.visitorId, visitorId), eq(conversations.accountId, accountId));
    // The foreign keys would cascade these; deleted by name so "everything" is written down here.
    await tx
      .delete(messages)
      .where(and(eq(messages.accountId, accountId), inArray(messages.conversationId, tx.select({ id: conversations.id }).from(conversations).where(theirs))));
    const chats = await tx.delete(conversations).where(theirs).returning({ id: conversations.id });
    await tx.delete(pageViews).where(and(eq(pageViews.visitorId, visitorId), eq(pageViews.accountId, accountId)));
    const [gone] = await tx
      .delete(visitors)
      .where(and(eq(visitors.id, visitorId), eq(visitors.accountId, accountId)))
      .returning({ id: visitors.id });
    return gone ? { conversationIds: chats.map((c) => c.id) } : null;
  });
}
