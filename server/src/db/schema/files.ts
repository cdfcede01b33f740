import { bigint, foreignKey, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts';
import { conversations } from './chats';
import { operators } from './operators';

/** Who uploaded a file: the conversation's visitor or an operator of the account. */
export const FILE_UPLOADERS = ['visitor', 'operator'] as const;

/**
 * Files sent in a chat (#5, SPEC P7). The bytes live on disk under FILES_DIR/<account>/<id>,
 * never under the uploaded name; the row says what they are. A file belongs to one conversation
 * and goes with it (and with its visitor: "forget this visitor" deletes the rows; the bytes are
 * swept from disk by the files feature).
 */
export const files = pgTable(
  'files',
  {
    /** Chosen by the server before the upload is stored: also the name on disk. */
    id: uuid('id').primaryKey(),
    accountId: uuid('account_id').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    uploadedBy: text('uploaded_by', { enum: FILE_UPLOADERS }).notNull(),
    /** The uploading operator; null for the visitor (the conversation names them) or a deleted operator. */
    operatorId: uuid('operator_id').references(() => operators.id, { onDelete: 'set null' }),
    /** Display name, cleaned (shared/schemas/files.ts sanitizeFileName). */
    name: text('name').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    /** The type detected from the bytes (shared/schemas/files.ts FILE_TYPES). */
    type: text('type').notNull(),
    /** SHA-256 of the bytes, hex. */
    sha256: text('sha256').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('files_conversation_idx').on(t.conversationId),
    index('files_account_idx').on(t.accountId),
    // The file's account is its conversation's (the same key messages use).
    foreignKey({
      name: 'files_conversation_account_fk',
      columns: [t.conversationId, t.accountId],
      foreignColumns: [conversations.id, conversations.accountId],
    }).onDelete('cascade'),
  ],
);

/** An account's upload limits (#5); no row means the defaults (10 MB, every type of FILE_TYPES). */
export const fileSettings = pgTable('file_settings', {
  accountId: uuid('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  maxBytes: integer('max_bytes').notNull(),
  allowedTypes: text('allowed_types').array().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
