/**
 * Reopening a closed chat (P5, #6), as in Chatwoot or LiveChat: an operator picks a closed chat up
 * again (from the archive, or a chat they just closed): it is active again and theirs, the visitor
 * sees "<name> reopened the chat" (their widget goes back to the live chat if they are on the site;
 * if they left, the operator replies by email as for any visitor who left), and the archive takes
 * it out until it closes again (`chat.reopened`, recorded in the same transaction).
 *
 * Who may: supervisors and admins any chat of the account; an operator a chat that was theirs, or
 * one of a department they are in (the colleague on the next shift picks up a customer who came
 * back). Not while the visitor is in another chat (a visitor has one chat at a time). The limit of
 * concurrent chats does not stand in the way: the operator chose to take it, as when taking over
 * (W4) or in LiveChat; the chat counts toward their load from then on.
 */
import { roleReaches } from '../../../../shared/contract';
import { AppError } from '../../../../shared/errors';
import type { ConversationRef, ConversationView } from '../../../../shared/schemas/chats';
import type { OperatorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import { findConversation } from '../../db/conversations';
import { sqlState } from '../../db/errors';
import { rooms } from '../../realtime/rooms';
import { publishConversation, publishMessage } from './fanout';
import { presentConversation } from './presenter';
import { appendMessages, findOpenConversation, reopenConversation, type ConversationRow } from './repo';
import { systemNote } from './routing';
import { isDepartmentMember, lockOperator } from './routingRepo';
import { withMessagesForVisitor, type Watch } from './service';

const notClosed = () => new AppError('chat_not_closed', 'This chat is not closed: it cannot be reopened.');
const visitorBusy = () => new AppError('visitor_in_chat', 'This visitor is in another chat now: reopen this one when that one has ended.');

/** The reopening rule above, on the server (the panel only offers what this allows). */
async function checkMayReopen(ctx: AppContext, actor: OperatorActor, c: ConversationRow): Promise<void> {
  if (roleReaches(actor.role, 'supervisor') || c.operatorId === actor.operatorId) return;
  if (c.departmentId && (await isDepartmentMember(ctx.db, actor.accountId, c.departmentId, actor.operatorId))) return;
  throw new AppError('forbidden', 'Only its operator, a colleague of its department or a supervisor can reopen this chat.');
}

export async function reopenChat(ctx: AppContext, actor: OperatorActor, input: ConversationRef, watch?: Watch): Promise<ConversationView> {
  const { accountId } = actor;
  const c = await findConversation(ctx.db, accountId, input.conversationId);
  if (!c) throw new AppError('not_found', 'Conversation not found.');
  if (c.status !== 'closed') throw notClosed();
  await checkMayReopen(ctx, actor, c);
  if (await findOpenConversation(ctx.db, accountId, c.visitorId)) throw visitorBusy();

  const result = await ctx.db
    .transaction(async (tx) => {
      // Under the operator's row lock, as every change of their load (routingRepo.ts).
      const op = await lockOperator(tx, accountId, actor.operatorId);
      if (!op?.active) throw new AppError('forbidden', 'Your account is disabled.');
      const reopened = await reopenConversation(tx, accountId, c.id, { id: actor.operatorId, name: op.name }, ctx.clock.sqlNow());
      if (!reopened) return null;
      const [note] = await appendMessages(tx, [systemNote(reopened, `${op.name} reopened the chat`)]);
      if (!note?.ok || !note.conversation) throw new Error('reopenChat: the system message was not stored');
      await ctx.events.record(tx, 'chat.reopened', { accountId, conversationId: c.id, visitorId: c.visitorId, operatorId: actor.operatorId });
      return { conversation: note.conversation, message: note.message };
    })
    .catch((err: unknown) => {
      // The visitor started another chat meanwhile: one open chat per visitor (a unique index).
      if (sqlState(err) === '23505') throw visitorBusy();
      throw err;
    });
  if (!result) {
    // Someone reopened it first (or it is gone).
    if (!(await findConversation(ctx.db, accountId, c.id))) throw new AppError('not_found', 'Conversation not found.');
    throw notClosed();
  }

  const { conversation, message } = result;
  await watch?.(conversation.id);
  // The reopener is connected (the command came on their socket): the visitor sees them present.
  publishConversation(ctx, conversation, { visitor: true, operatorPresent: true });
  publishMessage(ctx, conversation, message);
  // A widget on the site goes from its end screen back to the live chat (as for a chat an operator
  // opens from the grid, P4), with the line "<name> reopened the chat".
  ctx.rt.visitors.to(rooms.visitor(conversation.visitorId)).emit('chat:opened', await withMessagesForVisitor(ctx, conversation));
  ctx.events.publish('chat.reopened', { accountId, conversationId: c.id, visitorId: c.visitorId, operatorId: actor.operatorId });
  return presentConversation(conversation);
}
