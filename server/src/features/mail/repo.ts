import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { mailOutbox } from '../../db/schema/index';

export type OutboxRow = typeof mailOutbox.$inferSelect;

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
