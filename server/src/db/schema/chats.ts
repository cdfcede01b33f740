import { sql } from 'drizzle-orm';
import { bigserial, boolean, foreignKey, index, integer, pgTable, smallint, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { AUTHOR_TYPES, CONVERSATION_STATUSES, MESSAGE_VISIBILITIES } from '../../../../shared/schemas/chats';
import { accounts } from './accounts';
import { files } from './files';
import { operators } from './operators';
import { departments } from './routing';
import { visitors } from './visitors';

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    visitorId: uuid('visitor_id')
      .notNull()
      .references(() => visitors.id, { onDelete: 'cascade' }),
    status: text('status', { enum: CONVERSATION_STATUSES }).notNull().default('waiting'),
    operatorId: uuid('operator_id').references(() => operators.id, { onDelete: 'set null' }),
    /** Copied at accept time, like `visitor_name`, so lists need no join. */
    operatorName: text('operator_name'),
    visitorName: text('visitor_name').notNull(),
    visitorEmail: text('visitor_email').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /**
     * Highest message seq allocated. Writers bump it under the row lock (UPDATE), which is what
     * serialises concurrent writers, also across server processes.
     */
    lastSeq: integer('last_seq').notNull().default(0),
    /**
     * Highest visitor-facing seq allocated: the visitor's own numbering counts public messages
     * only, so an internal message (a transfer note, a whisper) leaves no gap a visitor could see.
     */
    lastVisitorSeq: integer('last_visitor_seq').notNull().default(0),
    /** Author of the last visitor or operator message (system messages leave it alone). */
    lastAuthor: text('last_author', { enum: AUTHOR_TYPES }),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    preview: text('preview').notNull().default(''),
    /** A1 (#6): the department it is routed to (the pre-chat form's choice, or a transfer); null = the whole account. */
    departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'set null' }),
    /** Since when it waits (created, or transferred back to a queue): escalation counts from here. */
    waitingSince: timestamp('waiting_since', { withTimezone: true }).notNull().defaultNow(),
    /** 0 while new; 1: its department was alerted again; 2: every online operator of the account was (#6). */
    escalationLevel: smallint('escalation_level').notNull().default(0),
    /** P3 blue: the visitor had a conversation before this one (set when it is created). */
    returningVisitor: boolean('returning_visitor').notNull().default(false),
    /** P5 read state: the internal seq up to which the assigned operator has read (their panel had it open and focused). */
    operatorReadSeq: integer('operator_read_seq').notNull().default(0),
    operatorReadAt: timestamp('operator_read_at', { withTimezone: true }),
    /**
     * The same read, as the visitor's widget can compare it: the visitor-facing position of the
     * visitor's latest own message the operator has read ("Seen", server/src/features/reads/positions.ts).
     */
    seenPosition: integer('seen_position').notNull().default(0),
    /** The internal seq up to which the visitor's widget has shown the messages (for operators to see). */
    visitorReadSeq: integer('visitor_read_seq').notNull().default(0),
    visitorReadAt: timestamp('visitor_read_at', { withTimezone: true }),
  },
  (t) => [
    index('conversations_account_status_idx').on(t.accountId, t.status),
    index('conversations_visitor_idx').on(t.visitorId),
    // Load per operator (A1): their active chats.
    index('conversations_operator_active_idx')
      .on(t.operatorId)
      .where(sql`status = 'active'`),
    // A visitor has at most one open conversation; chat:start relies on it to stay idempotent.
    uniqueIndex('conversations_one_open_per_visitor')
      .on(t.visitorId)
      .where(sql`status <> 'closed'`),
    // What a message's (conversation, account) references: see messages_conversation_account_fk.
    unique('conversations_id_account_key').on(t.id, t.accountId),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: uuid('account_id').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    /** 1-based position in the conversation, gap-free. */
    seq: integer('seq').notNull(),
    /** Idempotency key chosen by the sender; a resend with the same one returns the stored row. */
    clientId: text('client_id').notNull(),
    author: text('author', { enum: AUTHOR_TYPES }).notNull(),
    operatorId: uuid('operator_id').references(() => operators.id, { onDelete: 'set null' }),
    authorName: text('author_name').notNull().default(''),
    body: text('body').notNull(),
    /** Who may read it (#5): `public` (both sides) or `internal` (operators only: whispers, notes). */
    visibility: text('visibility', { enum: MESSAGE_VISIBILITIES }).notNull().default('public'),
    /**
     * Its position among the conversation's public messages, 1-based and gap-free: the seq its
     * visitor sees (#6, W1). Null for internal messages, which have only `seq`.
     */
    visitorSeq: integer('visitor_seq'),
    /**
     * The file the message carries (#5, P7), one of its conversation's (the service checks it);
     * its body is then the caption, maybe empty. Null once the file is gone.
     */
    fileId: uuid('file_id').references(() => files.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('messages_conversation_seq_key').on(t.conversationId, t.seq),
    uniqueIndex('messages_conversation_client_id_key').on(t.conversationId, t.clientId),
    // The visitor's reads (history, catch-up) walk this one.
    uniqueIndex('messages_conversation_visitor_seq_key')
      .on(t.conversationId, t.visitorSeq)
      .where(sql`visitor_seq IS NOT NULL`),
    // For the ON DELETE SET NULL of a removed file; partial, so messages without a file cost nothing.
    index('messages_file_idx')
      .on(t.fileId)
      .where(sql`file_id IS NOT NULL`),
    // One key for both: the message's account is its conversation's, and the check touches only
    // the conversation row, which the writer holds anyway. A separate key to accounts locked the
    // account's row for every message (PostgreSQL made a MultiXact of it for nearly every batch
    // once two writers overlapped) and cost a second lookup per message (#3).
    foreignKey({
      name: 'messages_conversation_account_fk',
      columns: [t.conversationId, t.accountId],
      foreignColumns: [conversations.id, conversations.accountId],
    }).onDelete('cascade'),
  ],
);

/** Rows as stored (features share them through here, not through each other, #5). */
export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
