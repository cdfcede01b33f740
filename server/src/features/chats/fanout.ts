import type { TypingView } from '../../../../shared/events';
import type { WatcherView } from '../../../../shared/schemas/chats';
import type { FileView } from '../../../../shared/schemas/files';
import type { AppContext } from '../../context';
import { rooms } from '../../realtime/rooms';
import { presentConversation, presentMessage, presentVisitorConversation } from './presenter';
import type { ConversationRow, MessageRow } from './repo';

/** What fan-out needs to know of a conversation to address it. */
type Addressed = Pick<ConversationRow, 'id' | 'accountId' | 'visitorId' | 'operatorId'>;

/**
 * The operator rooms that follow a conversation: its assigned operator (all their sockets, on
 * every node) and the sockets watching it. Messages go by conversation, not to the whole account:
 * fanning every message out to every operator socket made delivery cost grow with the account's
 * size (#3). The rest of the account learns of the chat through `chat:updated`.
 */
function followers(conversation: Addressed): string[] {
  const list = [rooms.conversationWatchers(conversation.id)];
  if (conversation.operatorId) list.push(rooms.operator(conversation.operatorId));
  return list;
}

/**
 * The one place chat messages and conversation changes leave the server. A message goes to the
 * conversation's followers and, if it is public, to the visitor's tabs.
 *
 * With `updated` (the conversation after this message), the account's other operators get
 * `chat:updated` — but not the followers: `message:sent` already tells them everything that
 * changed (lastSeq, lastAuthor, lastMessageAt, preview), so each operator socket gets one event
 * per message, not two (#3). `file`: the file the message carries, presented (#5, P7).
 */
export function publishMessage(ctx: AppContext, conversation: Addressed, message: MessageRow, updated?: ConversationRow, file?: FileView): void {
  const follow = followers(conversation);
  // One emit to several rooms: a socket in both (the assigned operator watching) gets it once.
  ctx.rt.operators.to(follow).emit('message:sent', presentMessage(message, 'internal', file));
  if (updated) ctx.rt.operators.to(rooms.accountOperators(updated.accountId)).except(follow).emit('chat:updated', presentConversation(updated));
  // #5: an internal message (whisper, note) never goes to the visitor's room; a public one goes
  // numbered by the visitor's own sequence (#6).
  if (message.visibility === 'public') ctx.rt.visitors.to(rooms.visitor(conversation.visitorId)).emit('message:sent', presentMessage(message, 'public', file));
}

/**
 * Announces a changed conversation to the account's operators (`requested` also raises
 * `chat:requested` for a new waiting chat) and, with `visitor`, to the visitor's tabs (their own
 * view of it: no operator id or other internals, #4; `operatorPresent` if the caller knows the
 * operator of an active chat is connected, #5). Lists,
 * badges and the visitors grid's colours all follow from it (lastSeq, lastAuthor, preview,
 * status), so nothing else is sent per message.
 */
export function publishConversation(
  ctx: AppContext,
  conversation: ConversationRow,
  opts: { requested?: boolean; visitor?: boolean; operatorPresent?: boolean } = {},
): void {
  const view = presentConversation(conversation);
  const operators = ctx.rt.operators.to(rooms.accountOperators(conversation.accountId));
  if (opts.requested) operators.emit('chat:requested', view);
  operators.emit('chat:updated', view);
  if (opts.visitor) {
    const visitorView = presentVisitorConversation(conversation, opts.operatorPresent);
    ctx.rt.visitors.to(rooms.visitor(conversation.visitorId)).emit('chat:updated', visitorView);
  }
}

/**
 * Relays a typing indicator to the other side (the conversation's followers), never back to its
 * sender. `toVisitor`: the assigned operator writing to the visitor; W1: a whisper's typing, and
 * anyone's who watches a chat not theirs, never reach the visitor.
 */
export function publishTyping(ctx: AppContext, conversation: Addressed, view: TypingView, senderSocketId: string, toVisitor: boolean): void {
  ctx.rt.operators.to(followers(conversation)).except(senderSocketId).emit('typing:updated', view);
  if (toVisitor && view.author === 'operator' && !view.internal) ctx.rt.visitors.to(rooms.visitor(conversation.visitorId)).emit('typing:updated', view);
}

/** W4: who watches the conversation, to its followers (its operator, and the watchers themselves). Never to the visitor. */
export function publishWatchers(ctx: AppContext, conversation: Addressed, watchers: WatcherView[]): void {
  ctx.rt.operators.to(followers(conversation)).emit('chat:watchers', { conversationId: conversation.id, watchers });
}
