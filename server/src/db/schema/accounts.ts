import { boolean, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A tenant (a license). Every other row belongs to one. */
export const accounts = pgTable('accounts', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /**
   * Website origins (`https://shop.example.com`, `https://*.example.com`, normalised by
   * shared/schemas/accounts.ts) whose pages may run this account's widget (#4). The server's own
   * pages are always allowed; any other origin is refused at the /visitor handshake.
   */
  allowedOrigins: text('allowed_origins').array().notNull().default([]),
  /** P3: minutes without visitor input after which a chat or visitor shows as idle (1–120). */
  idleAfterMinutes: integer('idle_after_minutes').notNull().default(5),
  /** W4: whether operators (not only supervisors and admins) may monitor and whisper into chats not theirs. */
  operatorsMayMonitor: boolean('operators_may_monitor').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Installation-wide secrets (e.g. the visitor-token HMAC key), generated once and kept in the
 * database so every server process of a multi-node install signs and verifies with the same key.
 */
export const serverSecrets = pgTable('server_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An account as stored (features share it through here, not through each other, #5). */
export type AccountRow = typeof accounts.$inferSelect;
