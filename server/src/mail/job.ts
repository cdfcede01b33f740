import { z } from 'zod';
import { text } from '../../../shared/schemas/common';
import { defineJob, PermanentJobError } from '../jobs/define';
import { insertOutboxMail } from './outbox';
import { sendBySmtp } from './transport';

const address = text().max(320).pipe(z.email());

/** One mail as the `mail.send` job carries it; the From comes from MAIL_FROM when it is sent. */
export const mailMessage = z.object({
  to: z.array(address).min(1).max(50),
  /** One line: a line break here would start a new header. */
  subject: text()
    .min(1)
    .max(250)
    .refine((s) => !/[\r\n]/.test(s), 'one line, no line breaks'),
  text: text().max(200_000),
  html: text().max(500_000).optional(),
});
export type MailMessage = z.output<typeof mailMessage>;

/**
 * `mail.send` (#5): every mail goes through this durable job. With SMTP_URL it is sent there
 * (a refusal for good, 5xx to a recipient or the message, fails the job at once; anything else
 * is retried with backoff, about 3 h in all); without, it is stored in the account's outbox.
 */
export const mailSendJob = defineJob({
  kind: 'mail.send',
  payload: mailMessage,
  maxAttempts: 10,
  // 30 s, 1, 2, 4, 8, 16, 32 min, then hourly (half of each step is random).
  backoff: { baseMs: 30_000, maxMs: 3_600_000 },
  timeoutMs: 120_000,
  handler: async (ctx, mail, job) => {
    if (!job.accountId) throw new PermanentJobError('mail.send needs the account it is for');
    const { smtpUrl, from } = ctx.config.mail;
    if (smtpUrl) await sendBySmtp(smtpUrl, { from, ...mail }, job.signal);
    else await insertOutboxMail(ctx.db, job.accountId, { jobId: job.id, from, ...mail });
  },
});
