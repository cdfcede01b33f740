/**
 * Internal chats between operators (W2, W3, #7): their own three tables, not rows of
 * `conversations`/`messages`.
 *
 * Why not a `kind` column on conversations: a conversation is a visitor's chat through and through
 * (`visitor_id`, `visitor_name`, `visitor_email` NOT NULL, one open chat per visitor, a visitor seq),
 * and every reader of that table — the queue and auto-assignment, monitoring, the visitors grid,
 * the archive, transcripts, the widget's session and catch-up — would have to leave the internal
 * ones out. One forgotten filter would route an operator conversation to a visitor or show it to
 * one. Kept apart, no visitor-facing code path reads these tables at all, so "internal chat
 * messages never reach a visitor" holds by construction. The delivery guarantees are the same
 * rules written again in a few lines (features/teamChats/repo.ts): a gap-free `seq` bumped under
 * the chat row's lock (also across server processes), a sender's `client_id` unique per chat (a
 * resend returns the stored row), catch-up by `seq`. What it gives up is the group commit (#3):
 * operator-to-operator traffic is a small fraction of an account's messages.
 */
import { bigserial, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { WhisperRef } from '../../../../shared/schemas/teamChats';
import { accounts } from './accounts';
import { operators } from './operators';

export const teamChats = pgTable(
  'team_chats',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /**
     * A one-to-one chat's two operator ids, sorted and joined by ':' — unique per account, so
     * starting a chat with someone one already talks to reopens that one (also when both start
     * it at the same moment). Null for a group chat.
     */
    directKey: text('direct_key'),
    /** Highest message seq allocated; bumped under this row's lock (serialises writers). */
    lastSeq: integer('last_seq').notNull().default(0),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    preview: text('preview').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('team_chats_direct_key').on(t.accountId, t.directKey), unique('team_chats_id_account_key').on(t.id, t.accountId)],
);

export const teamChatMembers = pgTable(
  'team_chat_members',
  {
    chatId: uuid('chat_id').notNull(),
    accountId: uuid('account_id').notNull(),
    operatorId: uuid('operator_id')
      .notNull()
      .references(() => operators.id, { onDelete: 'cascade' }),
    /** The seq up to which this member has read (their own messages count as read). */
    readSeq: integer('read_seq').notNull().default(0),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.chatId, t.operatorId] }),
    // "My internal chats" walks this one.
    index('team_chat_members_operator_idx').on(t.operatorId),
    foreignKey({ name: 'team_chat_members_chat_account_fk', columns: [t.chatId, t.accountId], foreignColumns: [teamChats.id, teamChats.accountId] }).onDelete(
      'cascade',
    ),
  ],
);

export const teamMessages = pgTable(
  'team_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: uuid('account_id').notNull(),
    chatId: uuid('chat_id').notNull(),
    /** 1-based position in the chat, gap-free. */
    seq: integer('seq').notNull(),
    /** Idempotency key chosen by the sender; a resend with the same one returns the stored row. */
    clientId: text('client_id').notNull(),
    operatorId: uuid('operator_id').references(() => operators.id, { onDelete: 'set null' }),
    authorName: text('author_name').notNull(),
    body: text('body').notNull(),
    /** W2: "Respond" on a whisper: the whisper quoted and the visitor chat it came from (a link back). */
    ref: jsonb('ref').$type<WhisperRef>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('team_messages_chat_seq_key').on(t.chatId, t.seq),
    uniqueIndex('team_messages_chat_client_id_key').on(t.chatId, t.clientId),
    foreignKey({ name: 'team_messages_chat_account_fk', columns: [t.chatId, t.accountId], foreignColumns: [teamChats.id, teamChats.accountId] }).onDelete(
      'cascade',
    ),
  ],
);

export type TeamChatRow = typeof teamChats.$inferSelect;
export type TeamMessageRow = typeof teamMessages.$inferSelect;
