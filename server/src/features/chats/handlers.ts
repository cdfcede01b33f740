import {
  chatStartPayload,
  chatSyncPayload,
  conversationRef,
  messageSendPayload,
  typingPayload,
} from '../../../../shared/schemas/chats';
import { z } from 'zod';
import type { AppContext } from '../../context';
import type { OperatorSocket, VisitorSocket } from '../../realtime/io';
import { rooms } from '../../realtime/rooms';
import { presentConversation, presentVisitorConversation } from './presenter';
import { acceptChat, closeChat, getChat, listChats, sendMessage, setTyping, startChat, syncChat, type OperatorActor, type VisitorActor } from './service';

const empty = z.object({});

/** Chat commands of the widget: always on behalf of the socket's own visitor. */
export function registerVisitorChatHandlers(ctx: AppContext, socket: VisitorSocket): void {
  const withAck = ctx.withAck(socket);
  const actor: VisitorActor = { kind: 'visitor', accountId: socket.data.accountId, visitorId: socket.data.visitorId };
  socket.on('chat:start', withAck(chatStartPayload, (input) => startChat(ctx, actor, input), { limit: 'visitor.chatStart' }));
  socket.on('message:send', withAck(messageSendPayload, (input) => sendMessage(ctx, actor, input), { limit: 'visitor.message' }));
  socket.on('chat:sync', withAck(chatSyncPayload, (input) => syncChat(ctx, actor, input), { limit: 'visitor.sync' }));
  socket.on('chat:close', withAck(conversationRef, async (input) => presentVisitorConversation(await closeChat(ctx, actor, input)), { limit: 'visitor.close' }));
  socket.on('typing:set', withAck(typingPayload, (input) => setTyping(ctx, actor, input, socket.id), { limit: 'visitor.typing' }));
}

/** Chat commands of the operator panel: within the operator's account. */
export function registerOperatorChatHandlers(ctx: AppContext, socket: OperatorSocket): void {
  const withAck = ctx.withAck(socket);
  const actor: OperatorActor = {
    kind: 'operator',
    accountId: socket.data.accountId,
    operatorId: socket.data.operatorId,
    name: socket.data.operatorName,
  };
  // A panel that opens a chat (waiting, or a colleague's) follows its messages live from then on (#3).
  const watch = (conversationId: string) => socket.join(rooms.conversationWatchers(conversationId));
  socket.on('chat:list', withAck(empty, () => listChats(ctx, actor), { limit: 'operator.read' }));
  socket.on('chat:get', withAck(conversationRef, (input) => getChat(ctx, actor, input, watch), { limit: 'operator.read' }));
  socket.on('chat:accept', withAck(conversationRef, (input) => acceptChat(ctx, actor, input, watch), { limit: 'operator.chatChange' }));
  socket.on('chat:close', withAck(conversationRef, async (input) => presentConversation(await closeChat(ctx, actor, input)), { limit: 'operator.chatChange' }));
  socket.on('message:send', withAck(messageSendPayload, (input) => sendMessage(ctx, actor, input), { limit: 'operator.message' }));
  socket.on('chat:sync', withAck(chatSyncPayload, (input) => syncChat(ctx, actor, input, watch), { limit: 'operator.read' }));
  socket.on('typing:set', withAck(typingPayload, (input) => setTyping(ctx, actor, input, socket.id), { limit: 'operator.typing' }));
}
