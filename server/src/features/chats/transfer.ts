/**
 * Transfer (P5, #6): a chat goes to another operator, or back to waiting in a department's queue,
 * with an optional note. The note is an internal message (#5: operators only, on every path: it
 * never reaches the visitor's room, reads or transcripts); the visitor sees a system line naming
 * where the chat went. The new operator opens it with its whole history, the note included.
 * Taking over (W4) is the same move, to the supervisor themselves.
 */
import { roleReaches } from '../../../../shared/contract';
import { AppError } from '../../../../shared/errors';
import type { ConversationRef, ConversationView } from '../../../../shared/schemas/chats';
import type { ChatTransferPayload } from '../../../../shared/schemas/routing';
import type { OperatorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import { onlineOperatorIds } from '../../realtime/presence';
import { rooms } from '../../realtime/rooms';
import { publishConversation, publishMessage } from './fanout';
import { presentConversation } from './presenter';
import { findConversation } from '../../db/conversations';
import { appendMessages, type ConversationRow, type MessageRow, type NewMessage } from './repo';
import { stopMonitoring } from './supervision';
import type { OperatorSocket } from '../../realtime/io';
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
  if (input.operatorId === c.operatorId) throw new AppError('conflict', 'The chat is theirs already.');
  return move(ctx, actor, c, { operatorId: input.operatorId ?? null, department, note: input.note ?? null, takeOver: false }, watch);
}

/**
 * W4: a supervisor takes over an active chat: a transfer to themselves that nobody accepts, so
 * neither their status nor their limit stands in the way (they chose to step in). The visitor sees
 * one line with the new name; the former operator is told (`chat:reassigned`) and their panels keep
 * following the chat (its watchers room); nothing of it changes but its operator.
 */
export async function takeOverChat(ctx: AppContext, actor: OperatorActor, input: ConversationRef, socket: OperatorSocket): Promise<ConversationView> {
  const c = await findConversation(ctx.db, actor.accountId, input.conversationId);
  if (!c) throw new AppError('not_found', 'Conversation not found.');
  if (c.status === 'closed') throw new AppError('chat_closed', 'This chat is closed.');
  if (c.status !== 'active') throw new AppError('conflict', 'This chat waits for an operator: accept it instead.');
  if (c.operatorId === actor.operatorId) throw new AppError('conflict', 'This chat is yours already.');
  const view = await move(ctx, actor, c, { operatorId: actor.operatorId, department: null, note: null, takeOver: true }, (id) =>
    socket.join(rooms.conversationWatchers(id)),
  );
  // Theirs now: no longer a monitor of it (the watchers its operator sees are the others).
  await stopMonitoring(ctx, actor.accountId, socket, c.id);
  return view;
}

interface Move {
  operatorId: string | null;
  department: { id: string; name: string } | null;
  note: string | null;
  takeOver: boolean;
}

/** The one way a chat changes hands (P5 transfer, W4 take over): under the target's row lock, its lines stored with it. */
async function move(ctx: AppContext, actor: OperatorActor, c: ConversationRow, to: Move, watch?: Watch): Promise<ConversationView> {
  const { accountId } = actor;
  const { department } = to;
  if (c.status === 'closed') throw new AppError('chat_closed', 'This chat is closed.');
  const from: TransferFrom = { status: c.status, operatorId: c.operatorId };
  const now = ctx.clock.sqlNow();

  const notes = (conversation: { accountId: string; id: string }, line: string): NewMessage[] => [
    ...(to.note
      ? [
          {
            accountId,
            conversationId: conversation.id,
            clientId: `note-${randomUUID()}`,
            author: 'operator' as const,
            operatorId: actor.operatorId,
            authorName: actor.name,
            body: to.note,
            // #5: operators only: never the visitor's, on any path.
            visibility: 'internal' as const,
          },
        ]
      : []),
    systemNote(conversation, line),
  ];

  // Looked up before the transaction: on PGlite an open transaction holds every other query.
  const present = !!to.operatorId && (to.takeOver || (await onlineOperatorIds(ctx.rt.operators, accountId, true)).has(to.operatorId));
  let toOperator: { id: string; present: boolean } | null = null;
  const result = await ctx.db.transaction(async (tx) => {
    let moved;
    if (to.operatorId) {
      const op = await lockOperator(tx, accountId, to.operatorId);
      if (!op?.active) throw new AppError('not_found', 'No such operator on your team.');
      if (!to.takeOver) {
        if (!present || op.availability !== 'online') throw new AppError('conflict', `${op.name} is not online: choose someone who is.`);
        if (op.load >= op.maxChats) throw new AppError('limit_reached', `${op.name} has ${op.load} of ${op.maxChats} chats: choose someone else.`);
      }
      moved = await moveToOperator(
        tx,
        accountId,
        c.id,
        from,
        { id: to.operatorId, name: op.name, ...(department ? { departmentId: department.id } : {}) },
        now,
      );
      if (!moved) throw changedMeanwhile();
      toOperator = { id: to.operatorId, present };
      const line = to.takeOver ? `${op.name} took over the chat` : `${actor.name} transferred the chat to ${op.name}`;
      const written = await appendMessages(tx, notes(moved, line));
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
  const view = presentConversation(conversation);
  if (to.takeOver && c.operatorId) {
    // W4: the former operator keeps following the chat live (every panel of theirs, every node)
    // before its line goes out, and is told who took it.
    ctx.rt.operators.in(rooms.operator(c.operatorId)).socketsJoin(rooms.conversationWatchers(c.id));
    ctx.rt.operators.to(rooms.operator(c.operatorId)).emit('chat:reassigned', { conversation: view, byName: actor.name });
  }
  for (const m of messages) publishMessage(ctx, conversation, m);
  const target = toOperator as { id: string; present: boolean } | null;
  publishConversation(ctx, conversation, { visitor: true, operatorPresent: target?.present ?? false, requested: !target });
  if (target && !to.takeOver)
    ctx.rt.operators.to(rooms.operator(target.id)).emit('chat:assigned', { conversation: view, by: 'transfer', fromName: actor.name });
  ctx.events.publish('chat.transferred', { accountId, conversationId: c.id, fromOperatorId: c.operatorId, toOperatorId: target?.id ?? null });
  // The one who gave it away may take another; a chat back in a queue may be assigned now.
  drainQueue(ctx, accountId);
  return view;
}
