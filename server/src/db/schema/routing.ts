import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { DEFAULT_ROUTING, ROUTING_MODES } from '../../../../shared/schemas/routing';
import { accounts } from './accounts';
import { operators } from './operators';

/** A department (A1, #6): chats are routed to its operators; an operator may be in several. */
export const departments = pgTable(
  'departments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('departments_account_name_key').on(t.accountId, sql`lower(${t.name})`)],
);

/** Who is in which department (many-to-many); rows go with either side. */
export const departmentMembers = pgTable(
  'department_members',
  {
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
    operatorId: uuid('operator_id')
      .notNull()
      .references(() => operators.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id').notNull(),
  },
  (t) => [primaryKey({ name: 'department_members_pkey', columns: [t.departmentId, t.operatorId] }), index('department_members_operator_idx').on(t.operatorId)],
);

/** An account's routing (A1, #6); no row means DEFAULT_ROUTING. */
export const routingSettings = pgTable('routing_settings', {
  accountId: uuid('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  mode: text('mode', { enum: ROUTING_MODES }).notNull().default(DEFAULT_ROUTING.mode),
  /** A waiting chat alerts its department again after this, then every online operator; 0 = never. */
  escalationSeconds: integer('escalation_seconds').notNull().default(DEFAULT_ROUTING.escalationSeconds),
  /** Operators who chose none go away after this many minutes without activity; 0 = never. */
  autoAwayMinutes: integer('auto_away_minutes').notNull().default(DEFAULT_ROUTING.autoAwayMinutes),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type DepartmentRow = typeof departments.$inferSelect;
export type RoutingSettingsRow = typeof routingSettings.$inferSelect;
