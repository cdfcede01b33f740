/**
 * Mail (#5) is what every feature that writes to people needs, so it lives outside features/:
 * `sendMail` queues the durable `mail.send` job (job.ts), `mailBody` (template.ts) builds both
 * parts with every value escaped. The mail feature (features/mail) shows the outbox to admins.
 */
import type { AppContext } from '../context';
import type { Db } from '../db/client';
import { mailSendJob } from './job';

/** A mail to send: build `text` and `html` with `mailBody` (template.ts) so every value is escaped. */
export interface OutgoingMail {
  accountId: string;
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
}

/**
 * Sends a mail, durably (#5): enqueues a `mail.send` job, which sends it through SMTP_URL with
 * retries, or keeps it in the account's outbox when no SMTP server is configured. With `tx` the
 * mail is queued in the caller's transaction, so it goes out if and only if the change commits;
 * with `key`, sending the same key twice queues one mail. Throws `validation_failed` for a bad
 * address or subject (nothing is queued).
 */
export function sendMail(
  ctx: Pick<AppContext, 'jobs'>,
  mail: OutgoingMail,
  options: { tx?: Db; key?: string } = {},
): Promise<{ id: string; created: boolean }> {
  const { accountId, to, subject, text, html } = mail;
  return ctx.jobs.enqueue(
    mailSendJob,
    { to: Array.isArray(to) ? to : [to], subject, text, ...(html !== undefined ? { html } : {}) },
    { accountId, ...(options.tx ? { tx: options.tx } : {}), ...(options.key ? { key: options.key } : {}) },
  );
}
