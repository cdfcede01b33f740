import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { files, messages, type MessageRow } from '../../db/schema/index';

/** Most messages one read returns; the job reads page after page. */
export const TRANSCRIPT_PAGE_SIZE = 500;

/** A line of a transcript: a public message, with the name of the file it carries, if any. */
export type TranscriptMessage = Pick<MessageRow, 'seq' | 'author' | 'authorName' | 'body' | 'createdAt'> & { fileName: string | null };

/**
 * The conversation's messages after `afterSeq` that its visitor could read, in order: public ones
 * only, never an internal one (#5: whispers and notes stay out of transcripts), at most `limit`.
 */
export async function publicMessagesAfter(
  db: Db,
  accountId: string,
  conversationId: string,
  afterSeq: number,
  limit = TRANSCRIPT_PAGE_SIZE,
): Promise<TranscriptMessage[]> {
  return db
    .select({
      seq: messages.seq,
      author: messages.author,
      authorName: messages.authorName,
      body: messages.body,
      createdAt: messages.createdAt,
      fileName: files.name,
    })
    .from(messages)
    .leftJoin(files, and(eq(files.id, messages.fileId), eq(files.accountId, messages.accountId)))
    .where(and(eq(messages.accountId, accountId), eq(messages.conversationId, conversationId), gt(messages.seq, afterSeq), eq(messages.visibility, 'public')))
    .orderBy(asc(messages.seq))
    .limit(limit);
}
