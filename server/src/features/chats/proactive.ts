/**
 * P4: chats the operator's side opens — started from the visitors grid, or an invitation the
 * visitor accepted. One path for both: a conversation whose first message is the operator's (the
 * invitation's message), assigned to that operator (waiting for routing when a rule invited), and
 * the visitor's widget opens with it (`chat:opened` to all their tabs).
 */
import { AppError } from '../../../../shared/errors';
import type { ChatOpenPayload, ConversationWithMessages, VisitorConversationWithMessages } from '../../../../shared/schemas/chats';
import type { InvitationAcceptPayload } from '../../../../shared/schemas/visitors';
import type { OperatorActor, VisitorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import { socketsIn } from '../../realtime/presence';
import { rooms } from '../../realtime/rooms';
import { publishConversation, publishMessage } from './fanout';
import { isOperatorPresent } from './operatorPresence';
import { presentMessage, presentVisitorConversation } from './presenter';
import { scheduleEscalation } from './routing';
import {
  appendMessages,
  findConversationByClientId,
  findInvitation,
  findOpenConversation,
  insertOpenedConversation,
  linkInvitation,
  takeInvitation,
  type ConversationRow,
  type MessageRow,
} from './repo';
import { withMessages, withMessagesForVisitor, type Watch } from './service';

interface Opening {
  accountId: string;
  visitorId: string;
  /** Who the chat is assigned to; null: it waits (a rule's invitation). */
  operator: { id: string; name: string } | null;
  /** The first message: the operator's (or the account's, for a rule). */
  first: { clientId: string; authorName: string; body: string };
  /** The invitation being accepted, taken in the same transaction. */
  invitationId?: string;
}

/**
 * Stores the conversation and its first message in one transaction; null when the invitation
 * was not pending any more. `conflict` when the visitor already has an open chat.
 */
async function open(ctx: AppContext, o: Opening): Promise<{ conversation: ConversationRow; message: MessageRow } | null> {
  const opened = await ctx.db.transaction(async (tx) => {
    let operator = o.operator;
    let first = o.first;
    let departmentId: string | null = null;
    if (o.invitationId) {
      const invitation = await takeInvitation(tx, o.accountId, o.visitorId, o.invitationId);
      if (!invitation) return null;
      operator = invitation.operatorId ? { id: invitation.operatorId, name: invitation.senderName } : null;
      first = { ...first, authorName: invitation.senderName, body: invitation.message };
      // A1: a rule's chat waits in the rule's department.
      departmentId = invitation.departmentId;
    }
    const conversation = await insertOpenedConversation(tx, o.accountId, o.visitorId, operator, departmentId);
    if (!conversation) throw new AppError('conflict', 'This visitor is already in a chat.');
    const [stored] = await appendMessages(tx, [
      {
        accountId: o.accountId,
        conversationId: conversation.id,
        clientId: first.clientId,
        author: 'operator',
        operatorId: operator?.id ?? null,
        authorName: first.authorName,
        body: first.body,
      },
    ]);
    if (!stored?.ok || !stored.conversation) throw new Error('open chat: the first message was not stored');
    if (o.invitationId) await linkInvitation(tx, o.accountId, o.invitationId, conversation.id);
    // A waiting chat (a rule's) escalates like any other (A1): nothing waits unseen.
    if (stored.conversation.status === 'waiting') await scheduleEscalation(ctx, tx, stored.conversation);
    return { conversation: stored.conversation, message: stored.message };
  });
  if (!opened) return null;
  const { conversation, message } = opened;
  const operatorPresent = await isOperatorPresent(ctx, conversation);
  publishConversation(ctx, conversation, { requested: conversation.status === 'waiting' });
  publishMessage(ctx, conversation, message);
  // Every tab of the visitor opens the chat (the one that accepted also has it in its ack).
  ctx.rt.visitors
    .to(rooms.visitor(o.visitorId))
    .emit('chat:opened', { conversation: presentVisitorConversation(conversation, operatorPresent), messages: [presentMessage(message, 'public')] });
  if (o.invitationId) ctx.rt.visitors.to(rooms.visitor(o.visitorId)).emit('invitation:closed', { invitationId: o.invitationId });
  ctx.events.publish('chat.started', { accountId: o.accountId, visitorId: o.visitorId, conversationId: conversation.id });
  return opened;
}

/**
 * `chat:open`: an operator starts a chat with a visitor on the site, their message first. A
 * repeat with the same clientId returns the same chat; a visitor who left or is already in a
 * chat is a `conflict`.
 */
export async function openChat(ctx: AppContext, actor: OperatorActor, input: ChatOpenPayload, watch?: Watch): Promise<ConversationWithMessages> {
  const { accountId } = actor;
  const earlier = await findConversationByClientId(ctx.db, accountId, input.visitorId, input.clientId);
  if (earlier) return withMessages(ctx, earlier);
  const online = (await socketsIn(ctx.rt.visitors, rooms.visitor(input.visitorId))).some((s) => s.data.accountId === accountId);
  if (!online) {
    // Not here, or not this account's: say which without telling another account's visitors apart.
    const open = await findOpenConversation(ctx.db, accountId, input.visitorId);
    if (open) throw new AppError('conflict', 'This visitor is already in a chat.');
    throw new AppError('not_found', 'This visitor is not on the site any more.');
  }
  const opened = await open(ctx, {
    accountId,
    visitorId: input.visitorId,
    operator: { id: actor.operatorId, name: actor.name },
    first: { clientId: input.clientId, authorName: actor.name, body: input.body },
  });
  if (!opened) throw new Error('openChat: nothing opened');
  await watch?.(opened.conversation.id);
  return withMessages(ctx, opened.conversation);
}

/**
 * `invitation:accept`: the visitor takes an invitation; the chat starts assigned to the operator
 * who invited (their message first). Repeating it (same clientId, or the invitation already
 * accepted) returns the chat it started.
 */
export async function acceptInvitation(ctx: AppContext, actor: VisitorActor, input: InvitationAcceptPayload): Promise<VisitorConversationWithMessages> {
  const { accountId, visitorId } = actor;
  const earlier = await findConversationByClientId(ctx.db, accountId, visitorId, input.clientId);
  if (earlier) return withMessagesForVisitor(ctx, earlier);
  const opened = await open(ctx, {
    accountId,
    visitorId,
    operator: null,
    first: { clientId: input.clientId, authorName: '', body: '' },
    invitationId: input.invitationId,
  });
  if (opened) {
    const operatorPresent = await isOperatorPresent(ctx, opened.conversation);
    return { conversation: presentVisitorConversation(opened.conversation, operatorPresent), messages: [presentMessage(opened.message, 'public')] };
  }
  const invitation = await findInvitation(ctx.db, accountId, visitorId, input.invitationId);
  if (!invitation) throw new AppError('not_found', 'Invitation not found.');
  const started = invitation.conversationId ? await findOpenConversation(ctx.db, accountId, visitorId) : null;
  if (started && started.id === invitation.conversationId) return withMessagesForVisitor(ctx, started);
  throw new AppError('conflict', 'This invitation is no longer open.');
}
