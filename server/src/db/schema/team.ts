import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { ROLES } from '../../../../shared/schemas/auth';
import { accounts } from './accounts';
import { operators } from './operators';

/**
 * Invitations to join an account (A5, #5). Like sessions, only the SHA-256 of the link's token is
 * stored. Single use (`used_at`), valid until `expires_at` (7 days); a resend replaces the token
 * and the expiry; revoking deletes the row.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** Lower-cased, like operators' emails. */
    email: text('email').notNull(),
    /** What the admin called them; the invitee chooses their own name on the page. */
    name: text('name'),
    role: text('role', { enum: ROLES }).notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by').references(() => operators.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    /** The operator the invitation became. */
    operatorId: uuid('operator_id').references(() => operators.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('invitations_token_hash_key').on(t.tokenHash),
    // One open invitation per email and account: inviting again is a resend.
    uniqueIndex('invitations_open_email_key')
      .on(t.accountId, t.email)
      .where(sql`used_at IS NULL`),
  ],
);

/**
 * Password-reset links (A5, #5): the SHA-256 of the token, valid one hour, single use. Using one
 * marks every open link of that operator used and revokes all their sessions.
 */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    operatorId: uuid('operator_id')
      .notNull()
      .references(() => operators.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('password_resets_token_hash_key').on(t.tokenHash), index('password_resets_operator_idx').on(t.operatorId)],
);
