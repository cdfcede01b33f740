/**
 * P5: the two conversions between the seqs operators use and the positions a visitor knows. A
 * visitor-facing position is how the visitor's widget numbers the messages it holds; everything
 * sent to a visitor about reads is in these terms and names only the visitor's own messages.
 * Visitors number messages by `visitor_seq` (#6: public messages only, no gaps).
 */
import { and, desc, eq, lte, max } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { messages } from '../../db/schema/index';
import type { ConversationRow } from '../../db/schema/chats';

/**
 * visitor-facing position of the visitor's latest own message at or before internal seq `upTo`
 * (0: none): what "Seen" compares with. Only visitor-authored messages count, so neither an
 * internal message nor an operator's reveals anything.
 */
export async function seenPositionUpTo(db: Db, conversation: Pick<ConversationRow, 'accountId' | 'id'>, upTo: number): Promise<number> {
  const [row] = await db
    .select({ position: max(messages.visitorSeq) })
    .from(messages)
    .where(
      and(
        eq(messages.accountId, conversation.accountId),
        eq(messages.conversationId, conversation.id),
        eq(messages.author, 'visitor'),
        lte(messages.seq, upTo),
      ),
    );
  return row?.position ?? 0;
}

/**
 * visitor-facing position → internal seq (the widget reports what it displayed): the seq of the
 * public message at that position, or of the last one before it; 0 when there is none.
 */
export async function internalSeqOf(db: Db, conversation: Pick<ConversationRow, 'accountId' | 'id'>, position: number): Promise<number> {
  // Both sequences grow together: the latest public message at or before the position, by the
  // (conversation, visitor_seq) index.
  const [row] = await db
    .select({ seq: messages.seq })
    .from(messages)
    .where(and(eq(messages.accountId, conversation.accountId), eq(messages.conversationId, conversation.id), lte(messages.visitorSeq, position)))
    .orderBy(desc(messages.visitorSeq))
    .limit(1);
  return row?.seq ?? 0;
}
