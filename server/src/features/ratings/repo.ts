import { and, eq, sql } from 'drizzle-orm';
import { RATING_CHANGE_WINDOW_MS, type RatingScore } from '../../../../shared/schemas/ratings';
import type { Db } from '../../db/client';
import { chatRatings, conversations } from '../../db/schema/index';

export type RatingRow = typeof chatRatings.$inferSelect;

/** The rated conversation closed again (after a reopening, P5) since its rating was last written. */
const closedSinceRated = sql`EXISTS (SELECT 1 FROM conversations rc
  WHERE rc.id = ${chatRatings.conversationId} AND rc.account_id = ${chatRatings.accountId} AND rc.closed_at > ${chatRatings.updatedAt})`;

/**
 * Stores the visitor's rating of their conversation in one statement, only if the conversation
 * is the account's, this visitor's and closed; an existing rating is replaced only within the
 * change window of its first setting. Null when nothing was written (see {@link ratingRefusal}).
 */
export async function upsertRating(
  db: Db,
  who: { accountId: string; visitorId: string },
  input: { conversationId: string; score: RatingScore; comment: string | null },
): Promise<RatingRow | null> {
  const windowSec = RATING_CHANGE_WINDOW_MS / 1000;
  const [row] = await db
    .insert(chatRatings)
    .select(
      db
        .select({
          conversationId: conversations.id,
          accountId: conversations.accountId,
          score: sql`${input.score}`.as('score'),
          comment: sql`${input.comment}::text`.as('comment'),
          createdAt: sql`now()`.as('created_at'),
          updatedAt: sql`now()`.as('updated_at'),
        })
        .from(conversations)
        .where(
          and(
            eq(conversations.id, input.conversationId),
            eq(conversations.accountId, who.accountId),
            eq(conversations.visitorId, who.visitorId),
            eq(conversations.status, 'closed'),
          ),
        ),
    )
    .onConflictDoUpdate({
      target: chatRatings.conversationId,
      // P5 (#6): a chat reopened and closed again since it was rated is rated anew: the visitor's
      // new rating replaces the earlier one and its change window starts over.
      set: {
        score: sql`excluded.score`,
        comment: sql`excluded.comment`,
        updatedAt: sql`now()`,
        createdAt: sql`CASE WHEN ${closedSinceRated} THEN now() ELSE ${chatRatings.createdAt} END`,
      },
      setWhere: sql`(${chatRatings.createdAt} > now() - make_interval(secs => ${windowSec}) OR ${closedSinceRated})`,
    })
    .returning();
  return row ?? null;
}

/** Why {@link upsertRating} wrote nothing: no such conversation of the visitor, still open, or the rating is final. */
export async function ratingRefusal(db: Db, who: { accountId: string; visitorId: string }, conversationId: string): Promise<'not_found' | 'open' | 'final'> {
  const [row] = await db
    .select({ status: conversations.status })
    .from(conversations)
    .where(and(eq(conversations.id, conversationId), eq(conversations.accountId, who.accountId), eq(conversations.visitorId, who.visitorId)))
    .limit(1);
  if (!row) return 'not_found';
  return row.status === 'closed' ? 'final' : 'open';
}

/**
 * An account's conversation and its rating: `null` when the account has no such conversation,
 * `{ rating: null }` when it has not been rated.
 */
export async function findRating(db: Db, accountId: string, conversationId: string): Promise<{ rating: RatingRow | null } | null> {
  const [row] = await db
    .select({ id: conversations.id, rating: chatRatings })
    .from(conversations)
    .leftJoin(chatRatings, eq(chatRatings.conversationId, conversations.id))
    .where(and(eq(conversations.id, conversationId), eq(conversations.accountId, accountId)))
    .limit(1);
  return row ? { rating: row.rating } : null;
}
