import { bigserial, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts';

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
  },
  (t) => [index('page_views_visitor_idx').on(t.visitorId, t.createdAt)],
);
