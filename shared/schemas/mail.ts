import { z } from 'zod';
import { uuid } from './common';

/** GET /api/mail/outbox query (#5): newest first, `limit` at a time; `before` is the previous page's `nextCursor`. */
export const outboxQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** The id of the last mail of the previous page (its `nextCursor`). */
  before: uuid.optional(),
});

/**
 * A mail kept in the outbox because no SMTP server is configured (#5). `html` is the HTML part as
 * the server built it (every value escaped); a client still never renders it unsanitised.
 */
export interface OutboxMailView {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  createdAt: string;
}

export interface OutboxPage {
  items: OutboxMailView[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** POST /api/mail/test (#5): the test mail was queued for the signed-in admin's own address. */
export interface TestMailQueued {
  jobId: string;
  to: string;
}
