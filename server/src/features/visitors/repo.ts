import { and, asc, desc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { PAGE_HISTORY_LIMIT } from '../../../../shared/schemas/visitors';
import type { Database, Db } from '../../db/client';
import { jsonArgument } from '../../db/json';
import { queryRows, rowFromJson } from '../../db/raw';
import { conversations, invitationRules, messages, pageViews, visitorInvitations, visitors } from '../../db/schema/index';
import type { InvitationRow, InvitationRuleRow, PageViewRow } from '../../db/schema/visitors';
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

/** What a widget handshake needs, read and written by {@link connectVisitors} (one statement for a batch of them). */
export interface VisitorConnection {
  visitor: VisitorRow;
  /** The visitor's open (waiting or active) conversation, if any. */
  conversation: ConversationRow | null;
  /** Its messages after the seq the widget said it holds (the first page of them). */
  messages: MessageRow[];
}

// Evaluated against the row before the update: was the last activity long enough ago?
// (connect_visitors, server/drizzle/functions/connect_visitors.sql, applies the same 30 minutes.)
const newVisit = sql`${visitors.lastSeenAt} < now() - ${VISIT_GAP}`;

/** One widget handshake of a batch (see {@link connectVisitors}). */
export interface VisitorConnectRequest {
  accountId: string;
  /** The visitor the handshake's token names, already verified (genuine, this account's, not expired); null for none. */
  claimedVisitorId: string | null;
  origin: VisitorOrigin;
  /** The open conversation the widget holds and the last (visitor) seq it has of it. */
  known: { conversationId: string; seq: number } | null;
  pageSize: number;
}

/**
 * The widget handshakes that arrived together in one call of the SQL function `connect_visitors`
 * (#4: after a restart every widget connects at once; server/drizzle/functions/connect_visitors.sql).
 * For each request, in order: the claimed visitor is marked as seen from `origin` (a new visit,
 * visits + 1 and pages reset, when the last activity is older than the visit gap), or a new
 * visitor is made when there is no valid claim (none, or not this account's); then their open
 * conversation and its messages after `known.seq` (if the widget holds that conversation) are read.
 */
export async function connectVisitors(database: Pick<Database, 'callJson'>, requests: VisitorConnectRequest[]): Promise<VisitorConnection[]> {
  const rows = await database.callJson<{
    idx: number;
    visitor: Record<string, unknown>;
    conversation: Record<string, unknown> | null;
    messages: Record<string, unknown>[] | null;
  }>(
    'connect_visitors',
    jsonArgument(
      requests.map((r, idx) => ({
        idx,
        account_id: r.accountId,
        visitor_id: r.claimedVisitorId,
        origin: r.origin,
        known_conversation_id: r.known?.conversationId ?? null,
        known_seq: r.known?.seq ?? 0,
        page_size: r.pageSize,
      })),
    ),
  );
  const byIdx = new Map(rows.map((row) => [row.idx, row]));
  return requests.map((_, idx) => {
    const row = byIdx.get(idx);
    if (!row) throw new Error(`connect_visitors returned no row for item ${idx}`);
    return {
      visitor: rowFromJson(visitors, row.visitor),
      conversation: row.conversation ? rowFromJson(conversations, row.conversation) : null,
      messages: (row.messages ?? []).map((m) => rowFromJson(messages, m)),
    };
  });
}

/**
 * Records a page view — the visitor's current page, one more page viewed (or a new visit), one
 * history row (P6: the page before it is closed, `left_at`, and the history is pruned to the
 * last PAGE_HISTORY_LIMIT) — and returns the visitor as the grid shows it with the stored page;
 * null if the visitor isn't the account's. One statement, so one round trip for the most
 * frequent write of idle visitors (#3).
 */
export async function recordPageView(
  db: Db,
  accountId: string,
  visitorId: string,
  page: { url: string; title: string; referrer: string; language: string; screen: string | null; timezone: string | null },
): Promise<(VisitorWithChat & { page: PageViewRow }) | null> {
  const [row] = await queryRows<{ visitor: Record<string, unknown>; chat: VisitorWithChat['chat']; page: Record<string, unknown> }>(
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
    left_page AS (
      UPDATE page_views SET left_at = now()
      WHERE account_id = ${accountId} AND visitor_id = (SELECT id FROM v) AND left_at IS NULL
    ),
    pruned AS (
      -- The statement sees the history before its insert: keep the newest LIMIT - 1 besides the new page.
      DELETE FROM page_views
      WHERE account_id = ${accountId} AND visitor_id = (SELECT id FROM v) AND id < (
        SELECT id FROM page_views WHERE account_id = ${accountId} AND visitor_id = ${visitorId}
        ORDER BY id DESC OFFSET ${PAGE_HISTORY_LIMIT - 2} LIMIT 1
      )
    ),
    history AS (
      INSERT INTO page_views (account_id, visitor_id, url, title, referrer)
      SELECT account_id, id, ${page.url}, ${page.title}, ${page.referrer} FROM v
      RETURNING *
    )
    SELECT row_to_json(v) AS visitor, (SELECT row_to_json(history) FROM history) AS page,
      (SELECT json_build_object('id', c.id, 'status', c.status, 'lastAuthor', c.last_author) FROM conversations c
        WHERE c.visitor_id = v.id AND c.account_id = v.account_id AND c.status <> 'closed' LIMIT 1) AS chat
    FROM v`,
  );
  return row ? { visitor: rowFromJson(visitors, row.visitor), chat: row.chat, page: rowFromJson(pageViews, row.page) } : null;
}

/** P6: the visitor's history, newest first (the account's visitor only). */
export async function listPageViews(db: Db, accountId: string, visitorId: string): Promise<PageViewRow[]> {
  return db
    .select()
    .from(pageViews)
    .where(and(eq(pageViews.accountId, accountId), eq(pageViews.visitorId, visitorId)))
    .orderBy(desc(pageViews.id))
    .limit(PAGE_HISTORY_LIMIT);
}

export async function visitorExists(db: Db, accountId: string, visitorId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: visitors.id })
    .from(visitors)
    .where(and(eq(visitors.id, visitorId), eq(visitors.accountId, accountId)))
    .limit(1);
  return !!row;
}

/** The visitor's last tab closed: last seen now, and the page they were on ends now (P6: its time on page). */
export async function markVisitorSeen(db: Db, accountId: string, visitorId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(visitors)
      .set({ lastSeenAt: sql`now()` })
      .where(and(eq(visitors.id, visitorId), eq(visitors.accountId, accountId)));
    await tx
      .update(pageViews)
      .set({ leftAt: sql`now()` })
      .where(and(eq(pageViews.accountId, accountId), eq(pageViews.visitorId, visitorId), isNull(pageViews.leftAt)));
  });
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
    await tx.delete(visitorInvitations).where(and(eq(visitorInvitations.visitorId, visitorId), eq(visitorInvitations.accountId, accountId)));
    const [gone] = await tx
      .delete(visitors)
      .where(and(eq(visitors.id, visitorId), eq(visitors.accountId, accountId)))
      .returning({ id: visitors.id });
    return gone ? { conversationIds: chats.map((c) => c.id) } : null;
  });
}

// ── P4: invitations ─────────────────────────────────────────────────────────────────────────

/** What an invitation is made of (an operator's from the grid, or a rule's). */
export interface NewInvitation {
  operatorId: string | null;
  senderName: string;
  message: string;
  ruleId: string | null;
  departmentId: string | null;
}

/**
 * Invites the visitor: their pending invitation (if any) is replaced by this one, and the row
 * mirrors it. Only while they have no open chat; with `oncePerVisit` (rules) only if nothing
 * invited them yet this visit, whatever became of it (a dismissal is remembered for the visit).
 * Null when it may not be made (or the visitor isn't the account's).
 */
export async function insertInvitation(
  db: Db,
  accountId: string,
  visitorId: string,
  invitation: NewInvitation,
  opts: { oncePerVisit: boolean },
): Promise<{ invitation: InvitationRow; replaced: string[]; visitor: VisitorWithChat } | null> {
  return db.transaction(async (tx) => {
    const [visitor] = await tx
      .update(visitors)
      .set({ invitationState: 'pending', invitedAt: sql`now()` })
      .where(
        and(
          eq(visitors.id, visitorId),
          eq(visitors.accountId, accountId),
          sql`NOT EXISTS (SELECT 1 FROM conversations c WHERE c.visitor_id = ${visitors.id} AND c.account_id = ${visitors.accountId} AND c.status <> 'closed')`,
          opts.oncePerVisit ? sql`(${visitors.invitedAt} IS NULL OR ${visitors.invitedAt} < ${visitors.visitStartedAt})` : undefined,
        ),
      )
      .returning();
    if (!visitor) return null;
    const replaced = await tx
      .update(visitorInvitations)
      .set({ state: 'replaced', answeredAt: sql`now()` })
      .where(and(eq(visitorInvitations.accountId, accountId), eq(visitorInvitations.visitorId, visitorId), eq(visitorInvitations.state, 'pending')))
      .returning({ id: visitorInvitations.id });
    const [row] = await tx
      .insert(visitorInvitations)
      .values({ accountId, visitorId, ...invitation })
      .returning();
    return { invitation: row!, replaced: replaced.map((r) => r.id), visitor: { visitor, chat: null } };
  });
}

/**
 * The visitor said "No thanks": the invitation is dismissed and the row says so (remembered for
 * the visit). Returns the row when something changed, `unchanged` when it was answered already,
 * null when the invitation is not the visitor's.
 */
export async function dismissInvitation(db: Db, accountId: string, visitorId: string, invitationId: string): Promise<VisitorWithChat | 'unchanged' | null> {
  return db.transaction(async (tx) => {
    const [dismissed] = await tx
      .update(visitorInvitations)
      .set({ state: 'dismissed', answeredAt: sql`now()` })
      .where(
        and(
          eq(visitorInvitations.id, invitationId),
          eq(visitorInvitations.accountId, accountId),
          eq(visitorInvitations.visitorId, visitorId),
          eq(visitorInvitations.state, 'pending'),
        ),
      )
      .returning({ id: visitorInvitations.id });
    if (!dismissed) {
      const [exists] = await tx
        .select({ id: visitorInvitations.id })
        .from(visitorInvitations)
        .where(and(eq(visitorInvitations.id, invitationId), eq(visitorInvitations.accountId, accountId), eq(visitorInvitations.visitorId, visitorId)))
        .limit(1);
      return exists ? 'unchanged' : null;
    }
    await tx
      .update(visitors)
      .set({ invitationState: 'dismissed' })
      .where(and(eq(visitors.id, visitorId), eq(visitors.accountId, accountId), eq(visitors.invitationState, 'pending')));
    const [row] = await selectWithChat(tx)
      .where(and(eq(visitors.id, visitorId), eq(visitors.accountId, accountId)))
      .limit(1);
    return row ?? null;
  });
}

/** The visitor's invitation still waiting for an answer in this visit (a new tab shows it again). */
export async function findPendingInvitation(db: Db, accountId: string, visitorId: string): Promise<InvitationRow | null> {
  const [row] = await db
    .select({ invitation: visitorInvitations })
    .from(visitorInvitations)
    .innerJoin(visitors, and(eq(visitors.id, visitorInvitations.visitorId), eq(visitors.accountId, visitorInvitations.accountId)))
    .where(
      and(
        eq(visitorInvitations.accountId, accountId),
        eq(visitorInvitations.visitorId, visitorId),
        eq(visitorInvitations.state, 'pending'),
        sql`${visitorInvitations.createdAt} >= ${visitors.visitStartedAt}`,
      ),
    )
    .orderBy(desc(visitorInvitations.createdAt))
    .limit(1);
  return row?.invitation ?? null;
}

// ── P4: automatic invitation rules ──────────────────────────────────────────────────────────

export type RuleFields = Omit<InvitationRuleRow, 'id' | 'accountId' | 'createdAt'>;

export async function listRules(db: Db, accountId: string): Promise<InvitationRuleRow[]> {
  return db.select().from(invitationRules).where(eq(invitationRules.accountId, accountId)).orderBy(asc(invitationRules.createdAt), asc(invitationRules.id));
}

export async function insertRule(db: Db, accountId: string, fields: RuleFields): Promise<InvitationRuleRow> {
  const [row] = await db
    .insert(invitationRules)
    .values({ accountId, ...fields })
    .returning();
  return row!;
}

export async function updateRule(db: Db, accountId: string, ruleId: string, fields: Partial<RuleFields>): Promise<InvitationRuleRow | null> {
  const mine = and(eq(invitationRules.id, ruleId), eq(invitationRules.accountId, accountId));
  if (!Object.keys(fields).length) return (await db.select().from(invitationRules).where(mine).limit(1))[0] ?? null;
  const [row] = await db.update(invitationRules).set(fields).where(mine).returning();
  return row ?? null;
}

export async function deleteRule(db: Db, accountId: string, ruleId: string): Promise<boolean> {
  const rows = await db
    .delete(invitationRules)
    .where(and(eq(invitationRules.id, ruleId), eq(invitationRules.accountId, accountId)))
    .returning({ id: invitationRules.id });
  return rows.length > 0;
}
