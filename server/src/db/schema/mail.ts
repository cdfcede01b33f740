import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts';

/**
 * Mail that had nowhere to go (#5): with no SMTP_URL configured, the `mail.send` job stores each
 * message here instead of dropping it, and admins read it (GET /api/mail/outbox).
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The job that stored it: a job run twice (its node died after storing) still stores one row. */
    jobId: uuid('job_id').notNull().unique('mail_outbox_job_key'),
    fromAddress: text('from_address').notNull(),
    toAddresses: text('to_addresses').array().notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    /** Untrusted values in it were escaped by the template (server/src/mail/template.ts); still never render it unsanitised. */
    html: text('html'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mail_outbox_account_created_idx').on(t.accountId, t.createdAt.desc(), t.id.desc())],
);
