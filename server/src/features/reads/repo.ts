import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { conversations } from '../../db/schema/index';
import type { ConversationRow } from '../../db/schema/chats';

/**
 * The assigned operator read up to internal seq `upTo` (its visitor-facing "Seen" is `seen`).
 * Positions only move forward, so two panels marking at once can't move them back.
 */
export async function storeOperatorRead(
  db: Db,
  accountId: string,
  conversationId: string,
  operatorId: string,
  upTo: number,
  seen: number,
): Promise<ConversationRow | null> {
  const [row] = await db
    .update(conversations)
    .set({
      operatorReadSeq: sql`greatest(${conversations.operatorReadSeq}, ${upTo})`,
      seenPosition: sql`greatest(${conversations.seenPosition}, ${seen})`,
      operatorReadAt: sql`now()`,
    })
    .where(and(eq(conversations.id, conversationId), eq(conversations.accountId, accountId), eq(conversations.operatorId, operatorId)))
    .returning();
  return row ?? null;
}

/** The visitor's widget showed the messages up to internal seq `upTo`. */
export async function storeVisitorRead(db: Db, accountId: string, conversationId: string, visitorId: string, upTo: number): Promise<ConversationRow | null> {
  const [row] = await db
    .update(conversations)
    .set({ visitorReadSeq: sql`greatest(${conversations.visitorReadSeq}, ${upTo})`, visitorReadAt: sql`now()` })
    .where(and(eq(conversations.id, conversationId), eq(conversations.accountId, accountId), eq(conversations.visitorId, visitorId)))
    .returning();
  return row ?? null;
}
