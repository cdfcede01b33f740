/**
 * Ratings (V2, #5): at the end of a chat the visitor rates it, thumbs up or down with an optional
 * comment; the account's operators see it live in the chat window.
 */
import { returns, type CommandMap } from '../contract';
import { conversationRef } from '../schemas/chats';
import { ratingSetPayload, type RatingView } from '../schemas/ratings';

export const visitorCommands = {
  /**
   * Rates the visitor's own ended chat (`not_found` for any other). One rating per chat: a new
   * call replaces it within RATING_CHANGE_WINDOW_MS of the first, then `conflict`; a chat still
   * open answers `conflict` too.
   */
  'rating:set': { payload: ratingSetPayload, result: returns<RatingView>(), role: 'visitor' },
} satisfies CommandMap;

export const operatorCommands = {
  /** A chat's rating, or null if its visitor gave none (yet). */
  'rating:get': { payload: conversationRef, result: returns<RatingView | null>(), role: 'operator' },
} satisfies CommandMap;

export interface VisitorBroadcasts {
  /** The visitor's rating was stored (their other tabs follow). */
  'rating:updated': RatingView;
}

export interface OperatorBroadcasts {
  /** A visitor rated a chat of the account, or changed their rating. */
  'rating:updated': RatingView;
}
