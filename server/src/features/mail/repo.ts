import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { mailOutbox } from '../../db/schema/index';

export type OutboxRow = typeof mailOutbox.$inferSelect;

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

/**
 * The account's outbox, newest first, `limit` rows; `beforeId`: only mails older than that one
 * (of the same account). One range of `mail_outbox_account_created_idx`.
 */
export async function listOutboxMail(db: Db, accountId: string, page: { limit: number; beforeId?: string | undefined }): Promise<OutboxRow[]> {
  const older = page.beforeId
    ? sql`(${mailOutbox.createdAt}, ${mailOutbox.id}) < (SELECT created_at, id FROM mail_outbox WHERE id = ${page.beforeId} AND account_id = ${accountId})`
    : undefined;
  return db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.accountId, accountId), older))
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(page.limit);
}
