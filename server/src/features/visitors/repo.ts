import { and, desc, eq, gt, inArray, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { conversations, pageViews, visitors } from '../../db/schema/index';

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

export async function insertVisitor(db: Db, accountId: string, origin: VisitorOrigin): Promise<VisitorRow> {
  const [row] = await db.insert(visitors).values({ accountId, ...origin }).returning();
  return row!;
}

// Evaluated against the row before the update: was the last activity long enough ago?
const newVisit = sql`${visitors.lastSeenAt} < now() - ${VISIT_GAP}`;

/**
 * Marks a returning visitor as seen from `origin`; starts a new visit (visits + 1, pages reset)
 * when the last activity is older than the visit gap. Null if the visitor isn't the account's.
 */
export async function touchVisitorOnConnect(db: Db, accountId: string, visitorId: string, origin: VisitorOrigin): Promise<VisitorRow | null> {
  const [row] = await db
    .update(visitors)
    .set({
      ...origin,
      visits: sql`CASE WHEN ${newVisit} THEN ${visitors.visits} + 1 ELSE ${visitors.visits} END`,
      visitStartedAt: sql`CASE WHEN ${newVisit} THEN now() ELSE ${visitors.visitStartedAt} END`,
      pagesViewed: sql`CASE WHEN ${newVisit} THEN 0 ELSE ${visitors.pagesViewed} END`,
      lastSeenAt: sql`now()`,
    })
    .where(and(eq(visitors.id, visitorId), eq(visitors.accountId, accountId)))
    .returning();
  return row ?? null;
}

/** Records a page view: the visitor's current page, one more page viewed, one history row. */
export async function recordPageView(
  db: Db,
  accountId: string,
  visitorId: string,
  page: { url: string; title: string; referrer: string; language: string; screen: string | null; timezone: string | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(visitors)
      .set({
        currentUrl: page.url,
        pageTitle: page.title,
        // The referrer of the visit's landing page is the interesting one; keep it for in-site navigation.
        referrer: sql`CASE WHEN ${newVisit} OR ${visitors.referrer} IS NULL OR ${visitors.referrer} = '' THEN ${page.referrer}::text ELSE ${visitors.referrer} END`,
        language: page.language || null,
        ...(page.screen ? { screen: page.screen } : {}),
        ...(page.timezone ? { timezone: page.timezone } : {}),
        visits: sql`CASE WHEN ${newVisit} THEN ${visitors.visits} + 1 ELSE ${visitors.visits} END`,
        visitStartedAt: sql`CASE WHEN ${newVisit} THEN now() ELSE ${visitors.visitStartedAt} END`,
        pagesViewed: sql`CASE WHEN ${newVisit} THEN 1 ELSE ${visitors.pagesViewed} + 1 END`,
        lastSeenAt: sql`now()`,
      })
      .where(and(eq(visitors.id, visitorId), eq(visitors.accountId, accountId)));
    await tx.insert(pageViews).values({ accountId, visitorId, url: page.url, title: page.title, referrer: page.referrer });
  });
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
