/**
 * P5: the two conversions between the seqs operators use and the positions a visitor knows. A
 * visitor-facing position is how the visitor's widget numbers the messages it holds; everything
 * sent to a visitor about reads is in these terms and names only the visitor's own messages.
 * Today a visitor numbers messages by their seq (they never receive internal ones, so they see
 * gaps); when visitors get a numbering of their own, these two functions are what changes.
 */
import { and, eq, lte, max } from 'drizzle-orm';
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
    .select({ seq: max(messages.seq) })
    .from(messages)
    .where(
      and(
        eq(messages.accountId, conversation.accountId),
        eq(messages.conversationId, conversation.id),
        eq(messages.author, 'visitor'),
        lte(messages.seq, upTo),
      ),
    );
  return row?.seq ?? 0;
}

/** visitor-facing position → internal seq (the widget reports what it displayed); never past what is stored. */
export function internalSeqOf(conversation: Pick<ConversationRow, 'lastSeq'>, position: number): number {
  return Math.min(position, conversation.lastSeq);
}
