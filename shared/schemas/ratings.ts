import { z } from 'zod';
import { MAX_RATING_COMMENT_LENGTH } from '../protocol/limits';
import { text, uuid } from './common';

/** A visitor's verdict on a chat (V2): thumbs up or down. */
export const RATING_SCORES = ['good', 'bad'] as const;
export type RatingScore = (typeof RATING_SCORES)[number];

/**
 * How long after their first rating a visitor may still change it (a mis-click, a comment added
 * after the thumb): then it is final.
 */
export const RATING_CHANGE_WINDOW_MS = 10 * 60_000;

/**
 * `rating:set` (V2): the visitor rates their own ended chat. The whole rating each time: a new
 * call replaces score and comment (within RATING_CHANGE_WINDOW_MS of the first one).
 */
export const ratingSetPayload = z.object({
  conversationId: uuid,
  score: z.enum(RATING_SCORES),
  /** Optional; blank means none. */
  comment: text().trim().max(MAX_RATING_COMMENT_LENGTH).optional(),
});
export type RatingSetPayload = z.infer<typeof ratingSetPayload>;

/** A chat's rating, as its visitor and the account's operators see it. */
export interface RatingView {
  conversationId: string;
  score: RatingScore;
  /** The visitor's words, or null (plain text: never render it as HTML). */
  comment: string | null;
  /** When it was last set. */
  ratedAt: string;
  /** Until when the visitor may still change it. */
  changeableUntil: string;
}
