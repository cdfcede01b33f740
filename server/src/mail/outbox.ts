import type { Db } from '../db/client';
import { mailOutbox } from '../db/schema/index';

/** Keeps a mail in the account's outbox; a second run of the same job stores nothing more. */
export async function insertOutboxMail(
  db: Db,
  accountId: string,
  mail: { jobId: string; from: string; to: string[]; subject: string; text: string; html?: string | undefined },
): Promise<void> {
  await db
    .insert(mailOutbox)
    .values({ accountId, jobId: mail.jobId, fromAddress: mail.from, toAddresses: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? null })
    .onConflictDoNothing({ target: mailOutbox.jobId });
}
