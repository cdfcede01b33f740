/**
 * Transfer (P5, #6): a chat goes to another operator, or back to waiting in a department's queue,
 * with an optional note. The note is an internal message (#5: operators only, on every path: it
 * never reaches the visitor's room, reads or transcripts); the visitor sees a system line naming
 * where the chat went. The new operator opens it with its whole history, the note included.
 */
import { roleReaches } from '../../../../shared/contract';
import { AppError } from '../../../../shared/errors';
import type { ConversationView } from '../../../../shared/schemas/chats';
import type { ChatTransferPayload } from '../../../../shared/schemas/routing';
import type { OperatorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import { onlineOperatorIds } from '../../realtime/presence';
import { rooms } from '../../realtime/rooms';
import { publishConversation, publishMessage } from './fanout';
import { presentConversation } from './presenter';
import { findConversation } from '../../db/conversations';
import { appendMessages, type MessageRow, type NewMessage } from './repo';
import { drainQueue, scheduleEscalation, systemNote } from './routing';
import { findDepartment, lockOperator, moveToDepartment, moveToOperator, type TransferFrom } from './routingRepo';
import { randomUUID } from 'node:crypto';

type Watch = (conversationId: string) => unknown;

const changedMeanwhile = () => new AppError('conflict', 'The chat changed meanwhile; look at it again and retry.');

export async function transferChat(ctx: AppContext, actor: OperatorActor, input: ChatTransferPayload, watch?: Watch): Promise<ConversationView> {
  const { accountId } = actor;
  const c = await findConversation(ctx.db, accountId, input.conversationId);
  if (!c) throw new AppError('not_found', 'Conversation not found.');
  if (c.status === 'closed') throw new AppError('chat_closed', 'This chat is closed.');
  if (c.status === 'active' && c.operatorId !== actor.operatorId && !roleReaches(actor.role, 'supervisor')) {
    throw new AppError('forbidden', "Only the chat's operator or a supervisor can transfer it.");
  }
  const department = input.departmentId ? await findDepartment(ctx.db, accountId, input.departmentId) : null;
  if (input.departmentId && !department) throw new AppError('not_found', 'No such department.');
  const from: TransferFrom = { status: c.status, operatorId: c.operatorId };
  const now = ctx.clock.sqlNow();

  const notes = (conversation: { accountId: string; id: string }, line: string): NewMessage[] => [
    ...(input.note
      ? [
          {
            accountId,
            conversationId: conversation.id,
            clientId: `note-${randomUUID()}`,
            author: 'operator' as const,
            operatorId: actor.operatorId,
            authorName: actor.name,
            body: input.note,
            // #5: operators only: never the visitor's, on any path.
            visibility: 'internal' as const,
          },
        ]
      : []),
    systemNote(conversation, line),
  ];

  if (input.operatorId === c.operatorId) throw new AppError('conflict', 'The chat is theirs already.');
  // Looked up before the transaction: on PGlite an open transaction holds every other query.
  const present = !!input.operatorId && (await onlineOperatorIds(ctx.rt.operators, accountId, true)).has(input.operatorId);
  let toOperator: { id: string; present: boolean } | null = null;
  const result = await ctx.db.transaction(async (tx) => {
    let moved;
    if (input.operatorId) {
      const op = await lockOperator(tx, accountId, input.operatorId);
      if (!op?.active) throw new AppError('not_found', 'No such operator on your team.');
      if (!present || op.availability !== 'online') throw new AppError('conflict', `${op.name} is not online: choose someone who is.`);
      if (op.load >= op.maxChats) throw new AppError('limit_reached', `${op.name} has ${op.load} of ${op.maxChats} chats: choose someone else.`);
      moved = await moveToOperator(
        tx,
        accountId,
        c.id,
        from,
        { id: input.operatorId, name: op.name, ...(department ? { departmentId: department.id } : {}) },
        now,
      );
      if (!moved) throw changedMeanwhile();
      toOperator = { id: input.operatorId, present };
      const written = await appendMessages(tx, notes(moved, `${actor.name} transferred the chat to ${op.name}`));
      return { written };
    }
    moved = await moveToDepartment(tx, accountId, c.id, from, department!.id, now);
    if (!moved) throw changedMeanwhile();
    const written = await appendMessages(tx, notes(moved, `${actor.name} transferred the chat to ${department!.name}`));
    const last = written.at(-1);
    if (last?.ok && last.conversation) await scheduleEscalation(ctx, tx, last.conversation);
    return { written };
  });

  const messages: MessageRow[] = [];
  let conversation = null;
  for (const w of result.written) {
    if (!w.ok) throw new Error('transferChat: a message was not stored');
    messages.push(w.message);
    conversation = w.conversation ?? conversation;
  }
  if (!conversation) throw new Error('transferChat: no conversation after the transfer');
  await watch?.(conversation.id);
  for (const m of messages) publishMessage(ctx, conversation, m);
  const target = toOperator as { id: string; present: boolean } | null;
  publishConversation(ctx, conversation, { visitor: true, operatorPresent: target?.present ?? false, requested: !target });
  const view = presentConversation(conversation);
  if (target) ctx.rt.operators.to(rooms.operator(target.id)).emit('chat:assigned', { conversation: view, by: 'transfer', fromName: actor.name });
  ctx.events.publish('chat.transferred', { accountId, conversationId: c.id, fromOperatorId: c.operatorId, toOperatorId: target?.id ?? null });
  // The one who gave it away may take another; a chat back in a queue may be assigned now.
  drainQueue(ctx, accountId);
  return view;
}
