import { PermanentJobError } from '../jobs/define';
import type { MailMessage } from './job';

/**
 * Connection limits well inside the job's 2-minute attempt: a server that accepts the connection
 * and then says nothing fails the attempt in seconds and is retried, not waited on for minutes.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 };

/** SMTP error codes (nodemailer's) where a 5xx reply is about this message, so sending it again can't help. */
const MESSAGE_REFUSED = new Set(['EENVELOPE', 'EMESSAGE']);

/**
 * Sends one mail through the SMTP server of `smtpUrl` (a connection per mail: mail is rare, and
 * nothing stays open between sends). Throws PermanentJobError when the server refuses the
 * message or its recipients for good (5xx); any other failure (down, 4xx, timeout) is left to
 * the job's retries.
 */
export async function sendBySmtp(smtpUrl: string, mail: MailMessage & { from: string }, signal: AbortSignal): Promise<void> {
  const { default: nodemailer } = await import('nodemailer'); // on the first mail, not at every start
  const transport = nodemailer.createTransport({ url: smtpUrl, ...TIMEOUTS });
  const abort = () => transport.close();
  signal.addEventListener('abort', abort, { once: true });
  try {
    await transport.sendMail({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}) });
  } catch (err) {
    const { code, responseCode } = err as { code?: string; responseCode?: number };
    if (code && MESSAGE_REFUSED.has(code) && responseCode && responseCode >= 500 && responseCode < 600) {
      throw new PermanentJobError(`refused by the SMTP server: ${(err as Error).message}`, { cause: err });
    }
    throw err;
  } finally {
    signal.removeEventListener('abort', abort);
    transport.close();
  }
}
