import * as contract from '../../../../shared/events/teamChats';
import type { OperatorActor } from '../../access/actor';
import type { OperatorSocket } from '../../realtime/io';
import { commands } from '../feature';
import { getTeamChat, listTeamChats, readTeamChat, respondToWhisper, sendTeamMessage, startTeamChat, syncTeamChat, typeInTeamChat } from './service';

/** shared/events/teamChats.ts: internal chats between operators (W2, W3). */
export const operatorTeamChatCommands = commands<typeof contract.operatorCommands, OperatorActor, OperatorSocket>(contract.operatorCommands, {
  'teamchat:list': { limit: 'operator.read', run: (ctx, actor) => listTeamChats(ctx, actor) },
  'teamchat:start': { limit: 'operator.chatChange', run: (ctx, actor, input) => startTeamChat(ctx, actor, input) },
  'teamchat:respond': { limit: 'operator.chatChange', run: (ctx, actor, input) => respondToWhisper(ctx, actor, input) },
  'teamchat:get': { limit: 'operator.read', run: (ctx, actor, input) => getTeamChat(ctx, actor, input) },
  'teamchat:send': { limit: 'operator.message', run: (ctx, actor, input) => sendTeamMessage(ctx, actor, input) },
  'teamchat:sync': { limit: 'operator.read', run: (ctx, actor, input) => syncTeamChat(ctx, actor, input) },
  'teamchat:read': { limit: 'operator.read', run: (ctx, actor, input) => readTeamChat(ctx, actor, input) },
  'teamchat:type': { limit: 'operator.typing', run: (ctx, actor, input) => typeInTeamChat(ctx, actor, input) },
});
