import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts';
import { operators } from './operators';

/**
 * Canned responses (P10, #6). `operator_id` null: the account's, shared by its team and changed
 * by admins; set: that operator's own, seen by nobody else (gone with the operator). A shortcut
 * (lower-cased, without the slash) is unique within its scope.
 */
export const cannedResponses = pgTable(
  'canned_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    operatorId: uuid('operator_id').references(() => operators.id, { onDelete: 'cascade' }),
    shortcut: text('shortcut').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('canned_responses_account_shortcut_key')
      .on(t.accountId, t.shortcut)
      .where(sql`operator_id IS NULL`),
    uniqueIndex('canned_responses_operator_shortcut_key')
      .on(t.operatorId, t.shortcut)
      .where(sql`operator_id IS NOT NULL`),
    // The panel's list: the account's rows and one operator's.
    index('canned_responses_account_operator_idx').on(t.accountId, t.operatorId),
  ],
);
