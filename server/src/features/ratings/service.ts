import { AppError } from '../../../../shared/errors';
import type { ConversationRef } from '../../../../shared/schemas/chats';
import type { RatingSetPayload, RatingView } from '../../../../shared/schemas/ratings';
import type { OperatorActor, VisitorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import { rooms } from '../../realtime/rooms';
import { presentRating } from './presenter';
import { findRating, ratingRefusal, upsertRating, type RatingRow } from './repo';

/**
 * The visitor rates their own ended chat (V2). One rating per chat, replaced by a new call within
 * RATING_CHANGE_WINDOW_MS of the first (a thumb first, the comment after it), final after that.
 * The account's operators, and the visitor's other tabs, get `rating:updated` at once.
 */
export async function setRating(ctx: AppContext, actor: VisitorActor, input: RatingSetPayload): Promise<RatingView> {
  const comment = input.comment || null;
  // P9 (#6): the archive's re-indexing is enqueued in the rating's own transaction (events/bus.ts `record`).
  const row = await ctx.db.transaction(async (tx) => {
    const stored = await upsertRating(tx, actor, { conversationId: input.conversationId, score: input.score, comment });
    if (stored) await ctx.events.record(tx, 'chat.rated', ratedEvent(actor.accountId, stored));
    return stored;
  });
  if (!row) {
    const why = await ratingRefusal(ctx.db, actor, input.conversationId);
    if (why === 'not_found') throw new AppError('not_found', 'Conversation not found.');
    throw new AppError('conflict', why === 'open' ? 'You can rate the chat once it has ended.' : 'This chat has been rated already.');
  }
  const view = presentRating(row);
  ctx.rt.operators.to(rooms.accountOperators(actor.accountId)).emit('rating:updated', view);
  ctx.rt.visitors.to(rooms.visitor(actor.visitorId)).emit('rating:updated', view);
  ctx.events.publish('chat.rated', ratedEvent(actor.accountId, row));
  return view;
}

const ratedEvent = (accountId: string, row: RatingRow) => ({
  accountId,
  conversationId: row.conversationId,
  score: row.score,
  changed: row.updatedAt > row.createdAt,
});

/** A conversation's rating for the operator's chat window: null if it has none. */
export async function getRating(ctx: AppContext, actor: OperatorActor, input: ConversationRef): Promise<RatingView | null> {
  const found = await findRating(ctx.db, actor.accountId, input.conversationId);
  if (!found) throw new AppError('not_found', 'Conversation not found.');
  return found.rating && presentRating(found.rating);
}
