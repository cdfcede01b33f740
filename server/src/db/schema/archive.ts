import { sql } from 'drizzle-orm';
import { customType, foreignKey, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { RATING_SCORES } from '../../../../shared/schemas/ratings';
import { conversations } from './chats';
import { operators } from './operators';
import { departments } from './routing';
import { visitors } from './visitors';

/** PostgreSQL's full-text document; written and read only in SQL (features/archive/repo.ts). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * The chat archive (P9, #6): one row per closed conversation, for the panel's search. A table of
 * its own, not columns on `conversations`: an index or trigger there slows every message write
 * (append_messages updates the conversation row of each batch) and made that statement read 27
 * conversation rows for a batch of 3 instead of 9 (tests/integration/appendMessagesPlan.test.ts).
 * Filled by the durable job `archive.index` when a chat closes (or its rating changes); a chat that
 * is open again leaves it.
 */
export const chatArchive = pgTable(
  'chat_archive',
  {
    conversationId: uuid('conversation_id').primaryKey(),
    accountId: uuid('account_id').notNull(),
    visitorId: uuid('visitor_id')
      .notNull()
      .references(() => visitors.id, { onDelete: 'cascade' }),
    closedAt: timestamp('closed_at', { withTimezone: true }).notNull(),
    /** As the visitor typed it (shown); searched as lower(visitor_name). */
    visitorName: text('visitor_name').notNull(),
    /** Lower-cased: shown and searched so. */
    visitorEmail: text('visitor_email').notNull(),
    operatorId: uuid('operator_id').references(() => operators.id, { onDelete: 'set null' }),
    /** The operator's name when the chat ended (the conversation's copy). */
    operatorName: text('operator_name'),
    departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'set null' }),
    rating: text('rating', { enum: RATING_SCORES }),
    /** Visitor and operator messages (system lines not counted), internal ones included. */
    messageCount: integer('message_count').notNull(),
    /** The visitor's first message, cut short: the result's line when no words were searched. */
    preview: text('preview').notNull(),
    /** 'simple' configuration over the messages' bodies (internal ones too) and the visitor's name and email. */
    document: tsvector('document').notNull(),
    indexedAt: timestamp('indexed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The row goes with its conversation (forgetting a visitor deletes both), in the same account.
    foreignKey({
      name: 'chat_archive_conversation_account_fk',
      columns: [t.conversationId, t.accountId],
      foreignColumns: [conversations.id, conversations.accountId],
    }).onDelete('cascade'),
    // #6: no pending list. PGlite has no autovacuum to merge one, so it would grow up to its limit,
    // be read in full by every search, and make the planner walk every chat for a rare word.
    index('chat_archive_document_idx').using('gin', t.document).with({ fastupdate: false }),
    // Every search is newest first within the account, a page at a time (keyset on closed_at, id).
    index('chat_archive_account_closed_idx').on(t.accountId, t.closedAt.desc(), t.conversationId.desc()),
    index('chat_archive_operator_closed_idx').on(t.accountId, t.operatorId, t.closedAt.desc()),
    index('chat_archive_department_closed_idx').on(t.accountId, t.departmentId, t.closedAt.desc()),
    // A returning visitor's earlier chats, beside their new one.
    index('chat_archive_visitor_closed_idx').on(t.visitorId, t.closedAt.desc()),
    // Prefix search on the visitor's email and name (LIKE 'ali%').
    index('chat_archive_email_idx').on(t.accountId, t.visitorEmail.op('text_pattern_ops')),
    index('chat_archive_name_idx').on(t.accountId, sql`lower(${t.visitorName}) text_pattern_ops`),
  ],
);

export type ChatArchiveRow = typeof chatArchive.$inferSelect;
