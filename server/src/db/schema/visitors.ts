import { bigserial, boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { INVITATION_STATES } from '../../../../shared/schemas/visitors';
import { accounts } from './accounts';
import { operators } from './operators';
import { departments } from './routing';

/** A browser that loaded the widget, identified by its signed visitor token (P2, V5). */
export const visitors = pgTable(
  'visitors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name'),
    email: text('email'),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** Start of the current visit; a new visit starts after 30 minutes without activity. */
    visitStartedAt: timestamp('visit_started_at', { withTimezone: true }).notNull().defaultNow(),
    visits: integer('visits').notNull().default(1),
    /** Page views in the current visit. */
    pagesViewed: integer('pages_viewed').notNull().default(0),
    /** Conversations ever started: > 0 with none open is the "chatted before" (blue) state. */
    chats: integer('chats').notNull().default(0),
    currentUrl: text('current_url'),
    pageTitle: text('page_title'),
    referrer: text('referrer'),
    language: text('language'),
    ip: text('ip'),
    country: text('country'),
    region: text('region'),
    city: text('city'),
    userAgent: text('user_agent'),
    browser: text('browser'),
    platform: text('platform'),
    screen: text('screen'),
    timezone: text('timezone'),
    /**
     * P4: the latest invitation to chat, kept on the row so the grid shows it without a join:
     * what became of it and when it was made (it counts for the current visit only when
     * `invited_at >= visit_started_at`). The details are in `visitor_invitations`.
     */
    invitationState: text('invitation_state', { enum: INVITATION_STATES }),
    invitedAt: timestamp('invited_at', { withTimezone: true }),
  },
  (t) => [index('visitors_account_last_seen_idx').on(t.accountId, t.lastSeenAt.desc())],
);

/** Navigation history of a visitor (P6). */
export const pageViews = pgTable(
  'page_views',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    visitorId: uuid('visitor_id')
      .notNull()
      .references(() => visitors.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    title: text('title').notNull().default(''),
    referrer: text('referrer').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the visitor went on to the next page or left (null: still there, or unknown). Time on page = left_at − created_at. */
    leftAt: timestamp('left_at', { withTimezone: true }),
  },
  // P6: the history is read newest first and pruned to the last PAGE_HISTORY_LIMIT by id.
  (t) => [index('page_views_visitor_id_idx').on(t.visitorId, t.id)],
);

/**
 * P4: invitations to chat, made by an operator from the grid or by an account's rule. A visitor
 * has at most one pending at a time; its state is mirrored on `visitors.invitation_state`.
 */
export const visitorInvitations = pgTable(
  'visitor_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    visitorId: uuid('visitor_id')
      .notNull()
      .references(() => visitors.id, { onDelete: 'cascade' }),
    /** The inviting operator; null for a rule's invitation (or once the operator is deleted). */
    operatorId: uuid('operator_id').references(() => operators.id, { onDelete: 'set null' }),
    /** Shown to the visitor as the sender: the operator's name, or the account's for a rule. */
    senderName: text('sender_name').notNull(),
    ruleId: uuid('rule_id').references(() => invitationRules.id, { onDelete: 'set null' }),
    /** A1: the department whose queue the chat waits in when accepted (a rule's); gone with the department. */
    departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'set null' }),
    message: text('message').notNull(),
    state: text('state', { enum: INVITATION_STATES }).notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    /** The chat that accepting it started. */
    conversationId: uuid('conversation_id'),
  },
  (t) => [index('visitor_invitations_visitor_idx').on(t.visitorId, t.createdAt)],
);

/** P4: an account's automatic invitation rules (admins, options page). Every condition given must hold. */
export const invitationRules = pgTable(
  'invitation_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    message: text('message').notNull(),
    /** Seconds on the current page before the invitation (0: at once). */
    secondsOnPage: integer('seconds_on_page').notNull().default(0),
    /** A glob (`*` any run of characters) or, without `*`, a substring of the page's URL; null: any page. */
    urlPattern: text('url_pattern'),
    /** At least this many pages viewed in the visit; null: any. */
    minPagesViewed: integer('min_pages_viewed'),
    /** true: returning visitors only; false: first visits only; null: both. */
    returning: boolean('returning'),
    /**
     * A1: the department whose chat it is (routing, "someone online" of that department; one of
     * the account's, checked by the service). A deleted department leaves the rule for everyone.
     */
    departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('invitation_rules_account_idx').on(t.accountId)],
);

export type PageViewRow = typeof pageViews.$inferSelect;
export type InvitationRow = typeof visitorInvitations.$inferSelect;
export type InvitationRuleRow = typeof invitationRules.$inferSelect;
