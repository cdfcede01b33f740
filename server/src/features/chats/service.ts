import type { TypingView } from '../../../../shared/events';
import { audienceOf, type Actor, type Audience, type OperatorActor, type VisitorActor } from '../../access/actor';
import { AppError } from '../../../../shared/errors';
import type {
  ChatStartPayload,
  ChatSyncPayload,
  ConversationRef,
  ConversationView,
  ConversationWithMessages,
  MessageSendPayload,
  MessageView,
  OperatorMessageSendPayload,
  OperatorTypingPayload,
  TypingPayload,
  VisitorConversationWithMessages,
} from '../../../../shared/schemas/chats';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { findConversation } from '../../db/conversations';
import { isRefusedInput } from '../../db/errors';
import { findFileForConversation } from '../files/service';
import { presentMessages, presentMessageWithFile } from './attachments';
import { publishConversation, publishMessage, publishTyping } from './fanout';
import { requireMonitorRight } from './monitorRight';
import { isOperatorPresent } from './operatorPresence';
import { presentConversation, presentMessage, presentVisitorConversation } from './presenter';
import { checkMayAccept, limitError, scheduleEscalation, systemNote, takeChat, takenError } from './routing';
import { findDepartment } from './routingRepo';
import {
  appendMessages,
  closeConversation,
  findConversationByClientId,
  findOpenConversation,
  insertConversation,
  listOpenConversations,
  messagesAfter,
  setVisitorContact,
  type ConversationRow,
} from './repo';

/**
 * Called once the actor is known to reach the conversation and before its messages are read: the
 * operator's socket joins the conversation's watchers room, so nothing committed after the read
 * is missed live (#3).
 */
export type Watch = (conversationId: string) => unknown;

async function firstPage(ctx: AppContext, audience: Audience, conversation: ConversationRow): Promise<MessageView[]> {
  return presentMessages(ctx, conversation.accountId, await messagesAfter(ctx.db, audience, conversation.accountId, conversation.id, 0), audience);
}

/** A conversation with its first page of messages, as operators see it (internal messages too). */
export async function withMessages(ctx: AppContext, conversation: ConversationRow): Promise<ConversationWithMessages> {
  return { conversation: presentConversation(conversation), messages: await firstPage(ctx, 'internal', conversation) };
}

/** The same as its visitor sees it: their view of the conversation (#4), public messages only (#5). */
export async function withMessagesForVisitor(ctx: AppContext, conversation: ConversationRow): Promise<VisitorConversationWithMessages> {
  const [messages, operatorPresent] = await Promise.all([firstPage(ctx, 'public', conversation), isOperatorPresent(ctx, conversation)]);
  return { conversation: presentVisitorConversation(conversation, operatorPresent), messages };
}

/** The conversation if the actor may see it (a visitor: only their own), else `not_found`. */
async function reachable(db: Db, actor: Actor, conversationId: string): Promise<ConversationRow> {
  const conversation = await findConversation(db, actor.accountId, conversationId, actor.kind === 'visitor' ? actor.visitorId : undefined);
  if (!conversation) throw new AppError('not_found', 'Conversation not found.');
  return conversation;
}

/**
 * The widget's pre-chat form: a waiting conversation whose first message (seq 1) is the question.
 * Idempotent: a repeated start (same clientId, or while a conversation is open) returns that one.
 */
export async function startChat(ctx: AppContext, actor: VisitorActor, input: ChatStartPayload): Promise<VisitorConversationWithMessages> {
  const { db } = ctx;
  const { accountId, visitorId } = actor;
  const earlier = (await findConversationByClientId(db, accountId, visitorId, input.clientId)) ?? (await findOpenConversation(db, accountId, visitorId));
  if (earlier) return withMessagesForVisitor(ctx, earlier);
  // A1 (#6): a department the visitor chose must be one of this account's.
  if (input.departmentId && !(await findDepartment(db, accountId, input.departmentId))) throw new AppError('not_found', 'No such department.');

  const created = await db
    .transaction(async (tx) => {
      const conversation = await insertConversation(tx, accountId, {
        visitorId,
        visitorName: input.name,
        visitorEmail: input.email,
        departmentId: input.departmentId ?? null,
      });
      if (!conversation) return null;
      // #6: nothing waits unseen: its escalation is due from now, durably (it exists if the chat does).
      await scheduleEscalation(ctx, tx, conversation);
      await setVisitorContact(tx, accountId, visitorId, input.name, input.email);
      const [first] = await appendMessages(tx, [
        { accountId, conversationId: conversation.id, clientId: input.clientId, author: 'visitor', visitorId, body: input.question },
      ]);
      if (!first?.ok || !first.conversation) throw new Error('startChat: the first message was not stored');
      return { conversation: first.conversation, message: first.message };
    })
    .catch((err: unknown) => {
      // The database refused what the form carries: the same form would fail forever (#4), so
      // say so for good instead of internal_error, which the widget would resend.
      if (isRefusedInput(err)) throw new AppError('message_rejected', "This question can't be sent. Please change it and try again.");
      throw err;
    });
  if (!created) {
    // Another tab of this visitor started one at the same moment: theirs is the chat.
    const open = await findOpenConversation(db, accountId, visitorId);
    if (!open) throw new AppError('conflict', 'Could not start the chat; try again.');
    return withMessagesForVisitor(ctx, open);
  }

  publishConversation(ctx, created.conversation, { requested: true, visitor: true });
  publishMessage(ctx, created.conversation, created.message);
  ctx.events.publish('chat.started', { accountId, visitorId, conversationId: created.conversation.id });
  return { conversation: presentVisitorConversation(created.conversation), messages: [presentMessage(created.message, 'public')] };
}

/** Open (waiting and active) conversations of the operator's account. */
export async function listChats(ctx: AppContext, actor: OperatorActor): Promise<ConversationView[]> {
  return (await listOpenConversations(ctx.db, actor.accountId)).map(presentConversation);
}

/** One conversation with its first page of messages (continue with chat:sync). */
export async function getChat(ctx: AppContext, actor: Actor, input: ConversationRef, watch?: Watch): Promise<ConversationWithMessages> {
  const conversation = await reachable(ctx.db, actor, input.conversationId);
  await watch?.(conversation.id);
  return withMessages(ctx, conversation);
}

/** Catch-up: messages after `afterSeq`, in order, one page (the client repeats on a full page). */
export async function syncChat(ctx: AppContext, actor: Actor, input: ChatSyncPayload, watch?: Watch): Promise<MessageView[]> {
  await reachable(ctx.db, actor, input.conversationId);
  await watch?.(input.conversationId);
  const audience = audienceOf(actor);
  return presentMessages(ctx, actor.accountId, await messagesAfter(ctx.db, audience, actor.accountId, input.conversationId, input.afterSeq), audience);
}

/**
 * An operator takes a waiting chat; the visitor sees "<name> joined the chat". Exactly one of
 * several operators accepting at once wins (a conditional UPDATE, also across nodes); the others
 * get `chat_taken`. #6 (A1): within the operator's limit, and a department's chat is its members'
 * until it is escalated to everyone.
 */
export async function acceptChat(ctx: AppContext, actor: OperatorActor, input: ConversationRef, watch?: Watch): Promise<ConversationView> {
  const { db } = ctx;
  const waiting = await reachable(db, actor, input.conversationId);
  if (waiting.status === 'closed') throw new AppError('chat_closed', 'This chat is closed.');
  if (waiting.status === 'active')
    throw waiting.operatorId === actor.operatorId ? new AppError('conflict', 'You have this chat already.') : takenError(waiting);
  await checkMayAccept(ctx, actor, waiting);
  const result = await takeChat(ctx, actor.accountId, waiting.id, actor.operatorId);
  if (result === 'unavailable') throw new AppError('forbidden', 'Your account is disabled.');
  if (result === 'gone') {
    const conversation = await reachable(db, actor, input.conversationId);
    if (conversation.status === 'closed') throw new AppError('chat_closed', 'This chat is closed.');
    throw takenError(conversation);
  }
  if ('limit' in result) throw limitError(result.limit);
  await watch?.(result.conversation.id);
  ctx.events.publish('chat.accepted', { accountId: actor.accountId, conversationId: result.conversation.id, operatorId: actor.operatorId });
  // The visitors grid derives the new colour from chat:updated (shared/visitorState.ts). The
  // operator accepting is connected: this command came on their socket.
  publishConversation(ctx, result.conversation, { visitor: true, operatorPresent: true });
  publishMessage(ctx, result.conversation, result.message);
  return presentConversation(result.conversation);
}

/**
 * Either side ends the chat. Closing a closed chat changes nothing and returns it. Returns the
 * row: each side's handler presents it in its own view (#4).
 */
export async function closeChat(ctx: AppContext, actor: Actor, input: ConversationRef): Promise<ConversationRow> {
  const { db } = ctx;
  const conversation = await reachable(db, actor, input.conversationId);
  if (conversation.status === 'closed') return conversation;
  const who = actor.kind === 'visitor' ? conversation.visitorName : actor.name;
  const event = { accountId: actor.accountId, conversationId: conversation.id, visitorId: conversation.visitorId, by: actor.kind };
  const result = await db.transaction(async (tx) => {
    const [note] = await appendMessages(tx, [systemNote(conversation, `${who} closed the chat`)]);
    if (!note?.ok) return null;
    const closed = await closeConversation(tx, actor.accountId, conversation.id);
    // P9 (#6): what must follow a close (archive indexing) is enqueued with it, durably.
    if (closed) await ctx.events.record(tx, 'chat.closed', event);
    return closed && { conversation: closed, message: note.message };
  });
  if (!result) return reachable(db, actor, input.conversationId);
  publishMessage(ctx, result.conversation, result.message);
  publishConversation(ctx, result.conversation, { visitor: true });
  ctx.events.publish('chat.closed', event);
  return result.conversation;
}

/**
 * Stores a message through the group-commit writer and only then answers and broadcasts it.
 * A resend with a stored clientId returns the original (same seq) and broadcasts nothing.
 * A file message (#5, P7) names a file uploaded into this conversation; any other is not_found.
 */
export async function sendMessage(ctx: AppContext, actor: Actor, input: MessageSendPayload | OperatorMessageSendPayload): Promise<MessageView> {
  // W1: a whisper is an internal message; only operators send one (the visitor's schema has no such field).
  const whisper = actor.kind === 'operator' && 'internal' in input && input.internal === true;
  // #7 (W4): a public reply from an operator who is not the chat's is refused by the writer's own
  // statement (append_messages: `not_your_chat`), so no read here holds up or reorders a send.
  if (whisper) await checkMayWhisper(ctx, actor, input.conversationId);
  if (whisper && input.fileId) throw new AppError('validation_failed', 'A whisper carries no file.');
  const file = input.fileId ? await findFileForConversation(ctx.db, actor.accountId, input.conversationId, input.fileId) : null;
  if (input.fileId && !file) throw new AppError('not_found', 'File not found.');
  const result = await ctx.writer.write({
    accountId: actor.accountId,
    conversationId: input.conversationId,
    clientId: input.clientId,
    body: input.body,
    ...(file ? { file: { id: file.id, name: file.name } } : {}),
    ...(actor.kind === 'visitor'
      ? { author: 'visitor', visitorId: actor.visitorId }
      : { author: 'operator', operatorId: actor.operatorId, authorName: actor.name }),
    ...(whisper ? { visibility: 'internal' as const } : {}),
  });
  // A visitor's resend is answered with what is stored under its clientId; one that names an
  // operator's internal message (clientIds are random, so never by chance) learns nothing of it.
  if (actor.kind === 'visitor' && result.message.visibility !== 'public') throw new AppError('conflict', 'This message id is taken; send it again.');
  const view = await presentMessageWithFile(ctx, result.message, audienceOf(actor), file);
  if (!result.duplicate && result.conversation) {
    // One event per operator socket, and no grid frame (visitors:updated): the grid's colour follows
    // message:sent / chat:updated (#3, shared/visitorState.ts).
    publishMessage(ctx, result.conversation, result.message, result.conversation, view.file);
    const { message } = result;
    ctx.events.publish('message.stored', {
      accountId: actor.accountId,
      conversationId: message.conversationId,
      seq: message.seq,
      author: message.author,
      visibility: message.visibility,
    });
  }
  return view;
}

/**
 * W1: a whisper goes into an open chat of the account: the assigned operator's own, or, into one
 * not theirs, only with the right to monitor it (W4); else `forbidden`.
 */
async function checkMayWhisper(ctx: AppContext, actor: OperatorActor, conversationId: string): Promise<void> {
  const conversation = await reachable(ctx.db, actor, conversationId);
  if (conversation.operatorId !== actor.operatorId) await requireMonitorRight(ctx, actor);
}

/** Relays a typing indicator (not stored) after checking the actor may reach the conversation. */
export async function setTyping(ctx: AppContext, actor: Actor, input: TypingPayload | OperatorTypingPayload, socketId: string): Promise<null> {
  const conversation = await reachable(ctx.db, actor, input.conversationId);
  const internal = actor.kind === 'operator' && 'internal' in input && input.internal === true;
  const view: TypingView = {
    conversationId: conversation.id,
    author: actor.kind,
    name: actor.kind === 'visitor' ? conversation.visitorName : actor.name,
    typing: input.typing,
    ...(internal ? { internal: true as const } : {}),
  };
  // W1: the visitor sees only their operator writing to them: not a whisper, not a monitor.
  const toVisitor = actor.kind === 'operator' && conversation.operatorId === actor.operatorId && !internal;
  publishTyping(ctx, conversation, view, socketId, toVisitor);
  return null;
}
