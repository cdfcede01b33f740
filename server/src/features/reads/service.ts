import { AppError } from '../../../../shared/errors';
import type { ReadMarkPayload, ReadView } from '../../../../shared/schemas/reads';
import type { OperatorActor, VisitorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import type { ConversationRow } from '../../db/schema/chats';
import { rooms } from '../../realtime/rooms';
import { internalSeqOf, seenPositionUpTo } from './positions';
import { findConversation } from '../../db/conversations';
import { storeOperatorRead, storeVisitorRead } from './repo';

function present(c: ConversationRow): ReadView {
  return { conversationId: c.id, operatorReadSeq: c.operatorReadSeq, visitorReadSeq: c.visitorReadSeq };
}

/** Those who follow a conversation's read state: its assigned operator (every panel of theirs, every node) and its watchers. */
function announce(ctx: AppContext, c: ConversationRow): void {
  const to = [rooms.conversationWatchers(c.id), ...(c.operatorId ? [rooms.operator(c.operatorId)] : [])];
  ctx.rt.operators.to(to).emit('read:updated', present(c));
}

/**
 * P5: the operator's panel had the chat open and focused up to `seq`. Only the assigned
 * operator's reading counts (a colleague or supervisor looking in changes nothing). Their other
 * panels clear the chat's unread count (`read:updated`), and if the read reaches a message of the
 * visitor's they weren't told about, the visitor's tabs get `read:seen` ("Seen").
 */
export async function markOperatorRead(ctx: AppContext, actor: OperatorActor, input: ReadMarkPayload): Promise<ReadView> {
  const c = await findConversation(ctx.db, actor.accountId, input.conversationId);
  if (!c) throw new AppError('not_found', 'Conversation not found.');
  const upTo = Math.min(input.seq, c.lastSeq);
  if (c.operatorId !== actor.operatorId || upTo <= c.operatorReadSeq) return present(c);
  const seen = await seenPositionUpTo(ctx.db, c, upTo);
  const updated = await storeOperatorRead(ctx.db, actor.accountId, c.id, actor.operatorId, upTo, seen);
  // Reassigned meanwhile: no longer theirs to read.
  if (!updated) return present(c);
  announce(ctx, updated);
  if (updated.seenPosition > c.seenPosition) {
    ctx.rt.visitors.to(rooms.visitor(updated.visitorId)).emit('read:seen', { conversationId: updated.id, seen: updated.seenPosition });
  }
  return present(updated);
}

/** P5: the visitor's widget displayed their chat up to `seq` (their numbering): kept, and told to its operators. */
export async function markVisitorRead(ctx: AppContext, actor: VisitorActor, input: ReadMarkPayload): Promise<null> {
  const c = await findConversation(ctx.db, actor.accountId, input.conversationId, actor.visitorId);
  if (!c) throw new AppError('not_found', 'Conversation not found.');
  const upTo = await internalSeqOf(ctx.db, c, input.seq);
  if (upTo <= c.visitorReadSeq) return null;
  const updated = await storeVisitorRead(ctx.db, actor.accountId, c.id, actor.visitorId, upTo);
  if (updated) announce(ctx, updated);
  return null;
}
