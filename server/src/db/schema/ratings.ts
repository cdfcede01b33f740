import { foreignKey, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { RATING_SCORES } from '../../../../shared/schemas/ratings';
import { conversations } from './chats';

/**
 * A visitor's rating of an ended chat (V2, #5): one per conversation, changeable for a few
 * minutes after it was first given (RATING_CHANGE_WINDOW_MS), then final.
 */
export const chatRatings = pgTable(
  'chat_ratings',
  {
    conversationId: uuid('conversation_id').primaryKey(),
    accountId: uuid('account_id').notNull(),
    score: text('score', { enum: RATING_SCORES }).notNull(),
    /** The visitor's own words, plain text (null: none). */
    comment: text('comment'),
    /** When the visitor first rated: the change window runs from here. */
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The rating goes with its conversation (forgetting a visitor deletes both), and its account is the conversation's.
    foreignKey({
      name: 'chat_ratings_conversation_account_fk',
      columns: [t.conversationId, t.accountId],
      foreignColumns: [conversations.id, conversations.accountId],
    }).onDelete('cascade'),
    // Reports (A6) read an account's ratings by time.
    index('chat_ratings_account_created_idx').on(t.accountId, t.createdAt),
  ],
);
