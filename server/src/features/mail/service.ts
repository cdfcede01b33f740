import type { z } from 'zod';
import type { OutboxPage, outboxQuery, TestMailQueued } from '../../../../shared/schemas/mail';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import type { OperatorSession } from '../../access/sessions';
import { mailSendJob } from './job';
import { toOutboxMailView } from './presenter';
import { listOutboxMail } from './repo';
import { mailBody } from './template';

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

/** The account's outbox, newest first, `limit` at a time; `before`: the id of the previous page's last mail. */
export async function outboxPage(db: Db, accountId: string, query: z.output<typeof outboxQuery>): Promise<OutboxPage> {
  // One more than asked tells whether there is a next page.
  const rows = await listOutboxMail(db, accountId, { limit: query.limit + 1, beforeId: query.before });
  const items = rows.slice(0, query.limit).map(toOutboxMailView);
  return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
}

/** Queues a test mail to the signed-in operator's own address: how an admin checks SMTP_URL. */
export async function sendTestMail(ctx: Pick<AppContext, 'jobs'>, session: OperatorSession): Promise<TestMailQueued> {
  const to = session.operator.email;
  const body = mailBody`Hello ${session.operator.name},

this is a test email from Sidedesk for ${session.account.name}. If you are reading it, mail from Sidedesk reaches you.`;
  const { id } = await sendMail(ctx, { accountId: session.account.id, to, subject: 'Sidedesk test email ✓', ...body });
  return { jobId: id, to };
}
