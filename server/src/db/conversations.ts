/**
 * The one lookup every feature that acts on a conversation starts with (chats, transcripts,
 * ratings, archive…), kept outside features/ so none imports another for it (#5).
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from './client';
import { conversations, type ConversationRow } from './schema/index';

/** One conversation of the account; with `visitorId`, only if it is that visitor's. Null otherwise. */
export async function findConversation(db: Db, accountId: string, conversationId: string, visitorId?: string): Promise<ConversationRow | null> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, conversationId), eq(conversations.accountId, accountId), visitorId ? eq(conversations.visitorId, visitorId) : undefined))
    .limit(1);
  return row ?? null;
}
