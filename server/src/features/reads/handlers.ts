import * as contract from '../../../../shared/events/reads';
import type { OperatorActor, VisitorActor } from '../../access/actor';
import type { OperatorSocket, VisitorSocket } from '../../realtime/io';
import { commands } from '../feature';
import { markOperatorRead, markVisitorRead } from './service';

/** shared/events/reads.ts, widget side: always the socket's own visitor. */
export const visitorReadCommands = commands<typeof contract.visitorCommands, VisitorActor, VisitorSocket>(contract.visitorCommands, {
  'read:mark': { limit: 'visitor.read', run: (ctx, actor, input) => markVisitorRead(ctx, actor, input) },
});

/** shared/events/reads.ts, panel side: within the operator's account. */
export const operatorReadCommands = commands<typeof contract.operatorCommands, OperatorActor, OperatorSocket>(contract.operatorCommands, {
  'read:mark': { limit: 'operator.read', run: (ctx, actor, input) => markOperatorRead(ctx, actor, input) },
});
