import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { conversations, files, fileSettings } from '../../db/schema/index';

export type FileRow = typeof files.$inferSelect;
export type NewFileRow = typeof files.$inferInsert;
export type FileSettingsRow = typeof fileSettings.$inferSelect;

/** A file with the conversation it belongs to (who may see it: that conversation's visitor and the account's operators). */
export interface FileWithOwner {
  file: FileRow;
  visitorId: string;
}

export async function insertFile(db: Db, row: NewFileRow): Promise<FileRow> {
  const [stored] = await db.insert(files).values(row).returning();
  return stored!;
}

/** Removes a file's row (an upload whose bytes could not be put in place). */
export async function deleteFile(db: Db, accountId: string, fileId: string): Promise<void> {
  await db.delete(files).where(and(eq(files.accountId, accountId), eq(files.id, fileId)));
}

/** One file of the account's conversation, or null (another conversation's or account's file is not found). */
export async function findFileInConversation(db: Db, accountId: string, conversationId: string, fileId: string): Promise<FileRow | null> {
  const [row] = await db
    .select()
    .from(files)
    .where(and(eq(files.id, fileId), eq(files.accountId, accountId), eq(files.conversationId, conversationId)))
    .limit(1);
  return row ?? null;
}

/**
 * A file by id alone, with its conversation's visitor: for the download route, which learns the
 * account from the row and then checks the caller against it (a miss and a refusal look the same).
 */
export async function findFileWithOwner(db: Db, fileId: string): Promise<FileWithOwner | null> {
  const [row] = await db
    .select({ file: files, visitorId: conversations.visitorId })
    .from(files)
    .innerJoin(conversations, and(eq(conversations.id, files.conversationId), eq(conversations.accountId, files.accountId)))
    .where(eq(files.id, fileId))
    .limit(1);
  return row ?? null;
}

/**
 * The conversation an upload names, by id alone: the widget's visitor token is only good with its
 * account, which the upload learns from this row. Nothing of it is shown before the caller has
 * been checked against its account and visitor (services answer not_found either way).
 */
export async function findConversationById(
  db: Db,
  conversationId: string,
): Promise<Pick<typeof conversations.$inferSelect, 'id' | 'accountId' | 'visitorId' | 'status'> | null> {
  const [row] = await db
    .select({ id: conversations.id, accountId: conversations.accountId, visitorId: conversations.visitorId, status: conversations.status })
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .limit(1);
  return row ?? null;
}

/** The account's files among `fileIds` (the attachments of a page of messages). */
export async function findFilesByIds(db: Db, accountId: string, fileIds: string[]): Promise<FileRow[]> {
  if (fileIds.length === 0) return [];
  return db
    .select()
    .from(files)
    .where(and(eq(files.accountId, accountId), inArray(files.id, fileIds)));
}

/** Which of `fileIds` still have a row in the account (the disk sweep keeps those). */
export async function existingFileIds(db: Db, accountId: string, fileIds: string[]): Promise<Set<string>> {
  if (fileIds.length === 0) return new Set();
  const rows = await db
    .select({ id: files.id })
    .from(files)
    .where(and(eq(files.accountId, accountId), inArray(files.id, fileIds)));
  return new Set(rows.map((r) => r.id));
}

export async function findFileSettings(db: Db, accountId: string): Promise<FileSettingsRow | null> {
  const [row] = await db.select().from(fileSettings).where(eq(fileSettings.accountId, accountId)).limit(1);
  return row ?? null;
}

/** Writes the account's upload limits (the whole row: the service merges a patch with the current values). */
export async function upsertFileSettings(db: Db, accountId: string, values: { maxBytes: number; allowedTypes: string[] }): Promise<FileSettingsRow> {
  const [row] = await db
    .insert(fileSettings)
    .values({ accountId, ...values })
    .onConflictDoUpdate({ target: fileSettings.accountId, set: { ...values, updatedAt: new Date() } })
    .returning();
  return row!;
}
