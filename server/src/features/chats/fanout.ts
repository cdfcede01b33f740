import type { TypingView } from '../../../../shared/events';
import type { AppContext } from '../../context';
import { rooms } from '../../realtime/rooms';
import { presentConversation, presentMessage } from './presenter';
import type { ConversationRow, MessageRow } from './repo';

/**
 * The one place chat messages and conversation changes leave the server. Every message goes to
 * the account's operators and to the visitor's tabs; visitor-invisible kinds (whispers, #W1)
 * will be filtered here, before the visitor room.
 */
export function publishMessage(ctx: AppContext, conversation: Pick<ConversationRow, 'accountId' | 'visitorId'>, message: MessageRow): void {
  const view = presentMessage(message);
  ctx.rt.operators.to(rooms.accountOperators(conversation.accountId)).emit('message:sent', view);
  ctx.rt.visitors.to(rooms.visitor(conversation.visitorId)).emit('message:sent', view);
}

/**
 * Announces a changed conversation to the account's operators (`requested` also raises
 * `chat:requested` for a new waiting chat) and, with `visitor`, to the visitor's tabs.
 */
export function publishConversation(ctx: AppContext, conversation: ConversationRow, opts: { requested?: boolean; visitor?: boolean } = {}): void {
  const view = presentConversation(conversation);
  const operators = ctx.rt.operators.to(rooms.accountOperators(conversation.accountId));
  if (opts.requested) operators.emit('chat:requested', view);
  operators.emit('chat:updated', view);
  if (opts.visitor) ctx.rt.visitors.to(rooms.visitor(conversation.visitorId)).emit('chat:updated', view);
}

/** Relays a typing indicator to the other side (and the other operators), never back to its sender. */
export function publishTyping(
  ctx: AppContext,
  conversation: Pick<ConversationRow, 'accountId' | 'visitorId'>,
  view: TypingView,
  senderSocketId: string,
): void {
  ctx.rt.operators.to(rooms.accountOperators(conversation.accountId)).except(senderSocketId).emit('typing:updated', view);
  if (view.author === 'operator') ctx.rt.visitors.to(rooms.visitor(conversation.visitorId)).emit('typing:updated', view);
}
