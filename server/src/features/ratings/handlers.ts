import * as contract from '../../../../shared/events/ratings';
import type { OperatorActor, VisitorActor } from '../../access/actor';
import type { OperatorSocket, VisitorSocket } from '../../realtime/io';
import { commands } from '../feature';
import { getRating, setRating } from './service';

/** shared/events/ratings.ts, widget side: always the socket's own visitor. */
export const visitorRatingCommands = commands<typeof contract.visitorCommands, VisitorActor, VisitorSocket>(contract.visitorCommands, {
  'rating:set': { limit: 'visitor.rating', run: (ctx, actor, input) => setRating(ctx, actor, input) },
});

/** shared/events/ratings.ts, panel side: within the operator's account. */
export const operatorRatingCommands = commands<typeof contract.operatorCommands, OperatorActor, OperatorSocket>(contract.operatorCommands, {
  'rating:get': { limit: 'operator.read', run: (ctx, actor, input) => getRating(ctx, actor, input) },
});
