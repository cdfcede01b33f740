import * as contract from '../../../../shared/events/routing';
import type { OperatorActor } from '../../access/actor';
import type { OperatorSocket } from '../../realtime/io';
import { commands } from '../feature';
import { listOperatorViews, reportActivity, setStatus } from './service';

/** Status, activity and "View operators" (shared/events/routing.ts). */
export const operatorRoutingCommands = commands<typeof contract.operatorCommands, OperatorActor, OperatorSocket>(contract.operatorCommands, {
  'status:set': { limit: 'operator.status', run: (ctx, actor, input) => setStatus(ctx, actor, input.status) },
  'activity:report': { limit: 'operator.status', run: (ctx, actor) => reportActivity(ctx, actor) },
  'operator:list': { limit: 'operator.read', run: (ctx, actor) => listOperatorViews(ctx, actor) },
});
