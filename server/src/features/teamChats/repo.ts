/**
 * All SQL of internal chats (W2, W3). Every function takes the account id; a chat is reached only
 * through its membership (`memberChat`), so a non-member, or another account, finds nothing.
 * Storage and why it is apart from visitor chats: db/schema/teamChats.ts.
 */
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { WhisperRef } from '../../../../shared/schemas/teamChats';
import type { Db } from '../../db/client';
import { messages, operators, teamChatMembers, teamChats, teamMessages, type MessageRow, type TeamChatRow, type TeamMessageRow } from '../../db/schema/index';

export type { TeamChatRow, TeamMessageRow };

/** The most messages one read returns (the client asks again from the last seq). */
export const TEAM_PAGE_SIZE = 500;

export interface MemberRow {
  chatId: string;
  operatorId: string;
  name: string;
  readSeq: number;
}

/** A one-to-one chat's key: its two operators, sorted (schema: `direct_key`). */
export const directKey = (a: string, b: string) => [a, b].sort().join(':');

/** The chat if `operatorId` is in it (and it is the account's), else null. */
export async function memberChat(db: Db, accountId: string, chatId: string, operatorId: string): Promise<TeamChatRow | null> {
  const [row] = await db
    .select({ chat: teamChats })
    .from(teamChats)
    .innerJoin(teamChatMembers, and(eq(teamChatMembers.chatId, teamChats.id), eq(teamChatMembers.operatorId, operatorId)))
    .where(and(eq(teamChats.id, chatId), eq(teamChats.accountId, accountId)))
    .limit(1);
  return row?.chat ?? null;
}

/** The members of these chats with their current names. */
export async function membersOf(db: Db, accountId: string, chatIds: string[]): Promise<MemberRow[]> {
  if (!chatIds.length) return [];
  return db
    .select({ chatId: teamChatMembers.chatId, operatorId: teamChatMembers.operatorId, name: operators.name, readSeq: teamChatMembers.readSeq })
    .from(teamChatMembers)
    .innerJoin(operators, eq(operators.id, teamChatMembers.operatorId))
    .where(and(eq(teamChatMembers.accountId, accountId), inArray(teamChatMembers.chatId, chatIds)))
    .orderBy(asc(operators.name));
}

/** The operator's chats, the latest message first. */
export async function chatsOf(db: Db, accountId: string, operatorId: string): Promise<TeamChatRow[]> {
  const rows = await db
    .select({ chat: teamChats })
    .from(teamChatMembers)
    .innerJoin(teamChats, eq(teamChats.id, teamChatMembers.chatId))
    .where(and(eq(teamChatMembers.accountId, accountId), eq(teamChatMembers.operatorId, operatorId)))
    .orderBy(desc(sql`coalesce(${teamChats.lastMessageAt}, ${teamChats.createdAt})`));
  return rows.map((r) => r.chat);
}

/**
 * The one-to-one chat of two operators of the account: the existing one, or a new one. Two
 * starting it at once get the same chat (the unique key decides, the loser reads the winner's).
 */
export async function directChat(db: Db, accountId: string, a: string, b: string): Promise<{ chat: TeamChatRow; created: boolean }> {
  const key = directKey(a, b);
  const find = async () => {
    const [row] = await db
      .select()
      .from(teamChats)
      .where(and(eq(teamChats.accountId, accountId), eq(teamChats.directKey, key)))
      .limit(1);
    return row ?? null;
  };
  const existing = await find();
  if (existing) return { chat: existing, created: false };
  const created = await db.transaction(async (tx) => {
    const [chat] = await tx.insert(teamChats).values({ accountId, directKey: key }).onConflictDoNothing().returning();
    if (!chat) return null;
    await tx.insert(teamChatMembers).values([a, b].map((operatorId) => ({ chatId: chat.id, accountId, operatorId })));
    return chat;
  });
  if (created) return { chat: created, created: true };
  const raced = await find();
  if (!raced) throw new Error('directChat: neither created nor found');
  return { chat: raced, created: false };
}

export interface NewTeamMessage {
  accountId: string;
  chatId: string;
  clientId: string;
  operatorId: string;
  authorName: string;
  body: string;
  ref?: WhisperRef;
}

/**
 * Stores a message with the chat's next seq, or finds the one already stored under its clientId
 * (`duplicate`: a resend). The chat row's lock orders concurrent writers, also on other nodes, so
 * seqs stay gap-free; the author's own message counts as read by them. Null: no such chat.
 */
export async function appendTeamMessage(db: Db, m: NewTeamMessage): Promise<{ message: TeamMessageRow; chat: TeamChatRow; duplicate: boolean } | null> {
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select()
      .from(teamChats)
      .where(and(eq(teamChats.id, m.chatId), eq(teamChats.accountId, m.accountId)))
      .for('update');
    if (!locked) return null;
    const [stored] = await tx
      .select()
      .from(teamMessages)
      .where(and(eq(teamMessages.chatId, m.chatId), eq(teamMessages.clientId, m.clientId)))
      .limit(1);
    if (stored) return { message: stored, chat: locked, duplicate: true };
    const preview = (m.body || (m.ref ? `“${m.ref.quote}”` : '')).slice(0, 140);
    const [chat] = await tx
      .update(teamChats)
      .set({ lastSeq: sql`${teamChats.lastSeq} + 1`, lastMessageAt: sql`now()`, preview })
      .where(eq(teamChats.id, m.chatId))
      .returning();
    const [message] = await tx
      .insert(teamMessages)
      .values({
        accountId: m.accountId,
        chatId: m.chatId,
        seq: chat!.lastSeq,
        clientId: m.clientId,
        operatorId: m.operatorId,
        authorName: m.authorName,
        body: m.body,
        ref: m.ref ?? null,
      })
      .returning();
    await tx
      .update(teamChatMembers)
      .set({ readSeq: sql`greatest(${teamChatMembers.readSeq}, ${chat!.lastSeq})`, readAt: sql`now()` })
      .where(and(eq(teamChatMembers.chatId, m.chatId), eq(teamChatMembers.operatorId, m.operatorId)));
    return { message: message!, chat: chat!, duplicate: false };
  });
}

/** Messages after `afterSeq`, in order, one page. */
export async function teamMessagesAfter(db: Db, accountId: string, chatId: string, afterSeq: number, limit = TEAM_PAGE_SIZE): Promise<TeamMessageRow[]> {
  return db
    .select()
    .from(teamMessages)
    .where(and(eq(teamMessages.accountId, accountId), eq(teamMessages.chatId, chatId), gt(teamMessages.seq, afterSeq)))
    .orderBy(asc(teamMessages.seq))
    .limit(limit);
}

/** The operator read up to `upTo` (never past the last message; positions only move forward). */
export async function markTeamRead(db: Db, accountId: string, chatId: string, operatorId: string, upTo: number): Promise<void> {
  await db
    .update(teamChatMembers)
    .set({
      readSeq: sql`greatest(${teamChatMembers.readSeq}, least(${upTo}::int, (SELECT last_seq FROM team_chats WHERE id = ${chatId})))`,
      readAt: sql`now()`,
    })
    .where(and(eq(teamChatMembers.accountId, accountId), eq(teamChatMembers.chatId, chatId), eq(teamChatMembers.operatorId, operatorId)));
}

/** One operator of the account, if there is one. */
export async function findColleague(db: Db, accountId: string, operatorId: string) {
  const [row] = await db
    .select({ id: operators.id, name: operators.name, status: operators.status })
    .from(operators)
    .where(and(eq(operators.id, operatorId), eq(operators.accountId, accountId)))
    .limit(1);
  return row ?? null;
}

/** W2: the whisper at `seq` of a visitor chat of the account (an operator's internal message), if it is one. */
export async function findWhisper(db: Db, accountId: string, conversationId: string, seq: number): Promise<MessageRow | null> {
  const [row] = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.accountId, accountId),
        eq(messages.conversationId, conversationId),
        eq(messages.seq, seq),
        eq(messages.visibility, 'internal'),
        eq(messages.author, 'operator'),
      ),
    )
    .limit(1);
  return row ?? null;
}
