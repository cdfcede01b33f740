/**
 * Internal chats between operators (W2, W3, #7): rules. Any operator may talk with any enabled
 * colleague of their account; only a chat's members reach it (anyone else: `not_found`, which
 * tells nothing of whether it exists). Everything leaves the server on the operator namespace,
 * to the members' own rooms: there is no visitor-side path for it (db/schema/teamChats.ts).
 */
import { AppError } from '../../../../shared/errors';
import type {
  TeamChatReadPayload,
  TeamChatRef,
  TeamChatRespondPayload,
  TeamChatSendPayload,
  TeamChatStartPayload,
  TeamChatSyncPayload,
  TeamChatTypePayload,
  TeamChatView,
  TeamChatWithMessages,
  TeamMessageView,
} from '../../../../shared/schemas/teamChats';
import type { OperatorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import { findConversation } from '../../db/conversations';
import { rooms } from '../../realtime/rooms';
import { presentTeamChat, presentTeamMessage } from './presenter';
import {
  appendTeamMessage,
  chatsOf,
  directChat,
  findColleague,
  findWhisper,
  markTeamRead,
  memberChat,
  membersOf,
  teamMessagesAfter,
  type NewTeamMessage,
  type TeamChatRow,
} from './repo';

/** How much of a whisper a Respond quotes. */
const QUOTE_LENGTH = 500;

async function view(ctx: AppContext, chat: TeamChatRow): Promise<TeamChatView> {
  return presentTeamChat(chat, await membersOf(ctx.db, chat.accountId, [chat.id]));
}

/** The members' rooms: every socket of each, on every node. */
const membersRooms = (chat: TeamChatView) => chat.members.map((m) => rooms.operator(m.operatorId));

async function withMessages(ctx: AppContext, chat: TeamChatRow): Promise<TeamChatWithMessages> {
  const [v, messages] = await Promise.all([view(ctx, chat), teamMessagesAfter(ctx.db, chat.accountId, chat.id, 0)]);
  return { chat: v, messages: messages.map(presentTeamMessage) };
}

/** The chat if the actor is in it; else `not_found`. */
async function reachable(ctx: AppContext, actor: OperatorActor, chatId: string): Promise<TeamChatRow> {
  const chat = await memberChat(ctx.db, actor.accountId, chatId, actor.operatorId);
  if (!chat) throw new AppError('not_found', 'Internal chat not found.');
  return chat;
}

/** The one-to-one chat with an enabled colleague; a new one is announced to both. */
async function openDirect(ctx: AppContext, actor: OperatorActor, colleagueId: string): Promise<TeamChatRow> {
  const colleague = await findColleague(ctx.db, actor.accountId, colleagueId);
  if (!colleague) throw new AppError('not_found', 'Operator not found.');
  if (colleague.id === actor.operatorId) throw new AppError('validation_failed', 'Choose a colleague, not yourself.');
  if (colleague.status !== 'active') throw new AppError('forbidden', `${colleague.name}'s account is disabled.`);
  const { chat, created } = await directChat(ctx.db, actor.accountId, actor.operatorId, colleague.id);
  if (created) {
    const v = await view(ctx, chat);
    ctx.rt.operators.to(membersRooms(v)).emit('teamchat:updated', v);
  }
  return chat;
}

export async function listTeamChats(ctx: AppContext, actor: OperatorActor): Promise<TeamChatView[]> {
  const chats = await chatsOf(ctx.db, actor.accountId, actor.operatorId);
  const members = await membersOf(
    ctx.db,
    actor.accountId,
    chats.map((c) => c.id),
  );
  return chats.map((c) => presentTeamChat(c, members));
}

/** W3: starting a chat with someone one already has one with reopens that one. */
export async function startTeamChat(ctx: AppContext, actor: OperatorActor, input: TeamChatStartPayload): Promise<TeamChatWithMessages> {
  return withMessages(ctx, await openDirect(ctx, actor, input.operatorId));
}

/** Stores a message (or finds its earlier send) and, if new, tells every member's panels. */
async function post(ctx: AppContext, m: NewTeamMessage): Promise<TeamMessageView> {
  const result = await appendTeamMessage(ctx.db, m);
  if (!result) throw new AppError('not_found', 'Internal chat not found.');
  const message = presentTeamMessage(result.message);
  if (!result.duplicate) {
    const chat = await view(ctx, result.chat);
    ctx.rt.operators.to(membersRooms(chat)).emit('teamchat:sent', { chat, message });
  }
  return message;
}

/**
 * W2: Respond on a whisper. Any operator of the account may read the visitor chat (chat:get), so
 * may respond to a whisper in it; the chat opened is the one with the whisper's author.
 */
export async function respondToWhisper(ctx: AppContext, actor: OperatorActor, input: TeamChatRespondPayload): Promise<TeamChatWithMessages> {
  const conversation = await findConversation(ctx.db, actor.accountId, input.conversationId);
  const whisper = conversation && (await findWhisper(ctx.db, actor.accountId, conversation.id, input.seq));
  if (!conversation || !whisper?.operatorId) throw new AppError('not_found', 'Whisper not found.');
  if (whisper.operatorId === actor.operatorId) throw new AppError('validation_failed', 'This whisper is your own.');
  const chat = await openDirect(ctx, actor, whisper.operatorId);
  await post(ctx, {
    accountId: actor.accountId,
    chatId: chat.id,
    clientId: input.clientId,
    operatorId: actor.operatorId,
    authorName: actor.name,
    body: '',
    ref: {
      conversationId: conversation.id,
      seq: whisper.seq,
      visitorName: conversation.visitorName,
      authorName: whisper.authorName,
      quote: whisper.body.slice(0, QUOTE_LENGTH),
    },
  });
  return withMessages(ctx, (await memberChat(ctx.db, actor.accountId, chat.id, actor.operatorId)) ?? chat);
}

export async function getTeamChat(ctx: AppContext, actor: OperatorActor, input: TeamChatRef): Promise<TeamChatWithMessages> {
  return withMessages(ctx, await reachable(ctx, actor, input.teamChatId));
}

export async function sendTeamMessage(ctx: AppContext, actor: OperatorActor, input: TeamChatSendPayload): Promise<TeamMessageView> {
  await reachable(ctx, actor, input.teamChatId);
  return post(ctx, {
    accountId: actor.accountId,
    chatId: input.teamChatId,
    clientId: input.clientId,
    operatorId: actor.operatorId,
    authorName: actor.name,
    body: input.body,
  });
}

export async function syncTeamChat(ctx: AppContext, actor: OperatorActor, input: TeamChatSyncPayload): Promise<TeamMessageView[]> {
  await reachable(ctx, actor, input.teamChatId);
  return (await teamMessagesAfter(ctx.db, actor.accountId, input.teamChatId, input.afterSeq)).map(presentTeamMessage);
}

/** Read state: the others see how far one has read; one's other panels clear the count. */
export async function readTeamChat(ctx: AppContext, actor: OperatorActor, input: TeamChatReadPayload): Promise<TeamChatView> {
  const before = await reachable(ctx, actor, input.teamChatId);
  await markTeamRead(ctx.db, actor.accountId, before.id, actor.operatorId, input.seq);
  const chat = await view(ctx, before);
  ctx.rt.operators.to(membersRooms(chat)).emit('teamchat:updated', chat);
  return chat;
}

/** Typing, to the other members only (not stored). */
export async function typeInTeamChat(ctx: AppContext, actor: OperatorActor, input: TeamChatTypePayload): Promise<null> {
  const chat = await view(ctx, await reachable(ctx, actor, input.teamChatId));
  const others = chat.members.filter((m) => m.operatorId !== actor.operatorId).map((m) => rooms.operator(m.operatorId));
  if (others.length)
    ctx.rt.operators.to(others).emit('teamchat:typed', { teamChatId: chat.id, operatorId: actor.operatorId, name: actor.name, typing: input.typing });
  return null;
}
