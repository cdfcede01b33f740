import { RATING_CHANGE_WINDOW_MS, type RatingView } from '../../../../shared/schemas/ratings';
import type { RatingRow } from './repo';

export function presentRating(r: RatingRow): RatingView {
  return {
    conversationId: r.conversationId,
    score: r.score,
    comment: r.comment,
    ratedAt: r.updatedAt.toISOString(),
    changeableUntil: new Date(r.createdAt.getTime() + RATING_CHANGE_WINDOW_MS).toISOString(),
  };
}
