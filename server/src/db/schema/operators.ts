import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ROLES } from '../../../../shared/schemas/auth';
import { AVAILABILITIES, DEFAULT_MAX_CHATS } from '../../../../shared/schemas/routing';
import { OPERATOR_STATUSES } from '../../../../shared/schemas/team';
import { accounts } from './accounts';

export const operators = pgTable(
  'operators',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** Lower-cased; unique across accounts because login is by email alone. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    /** argon2id PHC string. */
    passwordHash: text('password_hash').notNull(),
    /** A5: `disabled` operators can't sign in, and their sessions were revoked when they were disabled. */
    status: text('status', { enum: OPERATOR_STATUSES }).notNull().default('active'),
    /**
     * P11 (#6): what the operator chose, kept across sign-ins. Others see `offline` whenever no
     * panel of theirs is connected (presence is read from the sockets, realtime/availability.ts).
     */
    availability: text('availability', { enum: AVAILABILITIES }).notNull().default('online'),
    /** `away` was set by auto-away: activity in the panel brings them back online. */
    awayAuto: boolean('away_auto').notNull().default(false),
    /** Their own auto-away in minutes (0 = never); null = the account's default. */
    autoAwayMinutes: integer('auto_away_minutes'),
    /** Last input or focus in their panel (reported, throttled): auto-away counts from here. */
    lastActiveAt: timestamp('last_active_at', { withTimezone: true }).notNull().defaultNow(),
    /** A1: most chats at once (auto-assign and accept both stop there). */
    maxChats: integer('max_chats').notNull().default(DEFAULT_MAX_CHATS),
    /** When they last got a chat: auto-assign picks the longest idle first among equals. */
    lastAssignedAt: timestamp('last_assigned_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('operators_email_key').on(t.email), index('operators_account_idx').on(t.accountId)],
);

export type OperatorRow = typeof operators.$inferSelect;

/** Login sessions. Only the SHA-256 of the bearer token is stored; revoking sets `revoked_at`. */
export const operatorSessions = pgTable(
  'operator_sessions',
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
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('operator_sessions_token_hash_key').on(t.tokenHash), index('operator_sessions_operator_idx').on(t.operatorId)],
);
