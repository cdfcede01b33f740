import * as contract from '../../../../shared/events/archive';
import type { OperatorActor } from '../../access/actor';
import type { OperatorSocket } from '../../realtime/io';
import { commands } from '../feature';
import { searchChats } from './service';

/** shared/events/archive.ts: within the operator's account. */
export const operatorArchiveCommands = commands<typeof contract.operatorCommands, OperatorActor, OperatorSocket>(contract.operatorCommands, {
  'archive:search': { limit: 'operator.search', run: (ctx, actor, input) => searchChats(ctx, actor, input) },
});
