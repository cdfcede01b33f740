import * as contract from '../../../../shared/events/canned';
import type { OperatorActor } from '../../access/actor';
import type { OperatorSocket } from '../../realtime/io';
import { commands } from '../feature';
import { createResponse, deleteResponse, listResponses, updateResponse } from './service';

/** shared/events/canned.ts: the panel's list and the operator's own responses (admins: the account's too). */
export const operatorCannedCommands = commands<typeof contract.operatorCommands, OperatorActor, OperatorSocket>(contract.operatorCommands, {
  'canned:list': { limit: 'operator.read', run: (ctx, actor) => listResponses(ctx, actor) },
  'canned:create': { limit: 'operator.settings', run: (ctx, actor, input) => createResponse(ctx, actor, input) },
  'canned:update': { limit: 'operator.settings', run: (ctx, actor, { cannedId, ...patch }) => updateResponse(ctx, actor, cannedId, patch) },
  'canned:delete': { limit: 'operator.settings', run: (ctx, actor, input) => deleteResponse(ctx, actor, input.cannedId) },
});
