import * as contract from '../../../../shared/events/chats';
import type { OperatorActor, VisitorActor } from '../../access/actor';
import type { OperatorSocket, VisitorSocket } from '../../realtime/io';
import { rooms } from '../../realtime/rooms';
import { commands } from '../feature';
import { presentConversation, presentVisitorConversation } from './presenter';
import { acceptInvitation, openChat } from './proactive';
import { reopenChat } from './reopen';
import { acceptChat, closeChat, getChat, listChats, sendMessage, setTyping, startChat, syncChat } from './service';
import { monitorChats, unwatchChat, watchChat } from './supervision';
import { takeOverChat, transferChat } from './transfer';

/** Chat commands of the widget (shared/events/chats.ts): always on behalf of the socket's own visitor. */
export const visitorChatCommands = commands<typeof contract.visitorCommands, VisitorActor, VisitorSocket>(contract.visitorCommands, {
  'chat:start': { limit: 'visitor.chatStart', run: (ctx, actor, input) => startChat(ctx, actor, input) },
  'message:send': { limit: 'visitor.message', run: (ctx, actor, input) => sendMessage(ctx, actor, input) },
  'chat:sync': { limit: 'visitor.sync', run: (ctx, actor, input) => syncChat(ctx, actor, input) },
  'chat:close': { limit: 'visitor.close', run: async (ctx, actor, input) => presentVisitorConversation(await closeChat(ctx, actor, input)) },
  'typing:set': { limit: 'visitor.typing', run: (ctx, actor, input, socket) => setTyping(ctx, actor, input, socket.id) },
  'invitation:accept': { limit: 'visitor.chatStart', run: (ctx, actor, input) => acceptInvitation(ctx, actor, input) },
});

// A panel that opens a chat (waiting, or a colleague's) follows its messages live from then on (#3).
const watcher = (socket: OperatorSocket) => (conversationId: string) => socket.join(rooms.conversationWatchers(conversationId));

/** Chat commands of the operator panel: within the operator's account. */
export const operatorChatCommands = commands<typeof contract.operatorCommands, OperatorActor, OperatorSocket>(contract.operatorCommands, {
  'chat:list': { limit: 'operator.read', run: (ctx, actor) => listChats(ctx, actor) },
  'chat:get': { limit: 'operator.read', run: (ctx, actor, input, socket) => getChat(ctx, actor, input, watcher(socket)) },
  'chat:accept': { limit: 'operator.chatChange', run: (ctx, actor, input, socket) => acceptChat(ctx, actor, input, watcher(socket)) },
  'chat:close': { limit: 'operator.chatChange', run: async (ctx, actor, input) => presentConversation(await closeChat(ctx, actor, input)) },
  'message:send': { limit: 'operator.message', run: (ctx, actor, input) => sendMessage(ctx, actor, input) },
  'chat:sync': { limit: 'operator.read', run: (ctx, actor, input, socket) => syncChat(ctx, actor, input, watcher(socket)) },
  'typing:set': { limit: 'operator.typing', run: (ctx, actor, input, socket) => setTyping(ctx, actor, input, socket.id) },
  'chat:transfer': { limit: 'operator.chatChange', run: (ctx, actor, input, socket) => transferChat(ctx, actor, input, watcher(socket)) },
  'chat:open': { limit: 'operator.chatChange', run: (ctx, actor, input, socket) => openChat(ctx, actor, input, watcher(socket)) },
  'chat:monitor': { limit: 'operator.read', run: (ctx, actor) => monitorChats(ctx, actor) },
  'chat:watch': { limit: 'operator.read', run: (ctx, actor, input, socket) => watchChat(ctx, actor, input, socket) },
  'chat:unwatch': { limit: 'operator.read', run: (ctx, actor, input, socket) => unwatchChat(ctx, actor, input, socket) },
  'chat:takeover': { limit: 'operator.chatChange', run: (ctx, actor, input, socket) => takeOverChat(ctx, actor, input, socket) },
  'chat:reopen': { limit: 'operator.chatChange', run: (ctx, actor, input, socket) => reopenChat(ctx, actor, input, watcher(socket)) },
});
