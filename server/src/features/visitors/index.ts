/**
 * Visitors (P1, P2, P4, P6): tracking, presence, the live grid, navigation history, invitations to
 * chat (by operators and by rules), the widget's session and "forget this visitor".
 */
import { defineFeature } from '../feature';
import './events';
import { onVisitorConnection, operatorVisitorCommands, visitorCommands } from './handlers';
import { visitorRoutes } from './routes';
import { cancelRuleTimer } from './invitations';
import { announceOperatorAvailability, hearOtherNodesAvailability, publishVisitor } from './service';

export const visitors = defineFeature({
  name: 'visitors',
  routes: visitorRoutes,
  visitorCommands,
  operatorCommands: operatorVisitorCommands,
  onVisitorConnection: (ctx, socket) => onVisitorConnection(ctx, socket),
  // The widgets' "someone online" follows panels connecting and leaving.
  onOperatorConnection: (ctx, socket, actor) => {
    announceOperatorAvailability(ctx, actor.accountId);
    socket.on('disconnect', () => announceOperatorAvailability(ctx, actor.accountId));
  },
  listen: (ctx) => {
    // The pre-chat form changed the visitor's name and email: the grid gets the whole row once.
    // An accepted invitation or a chat from the grid too (P4); a rule waiting to invite them has nothing left to do.
    ctx.events.on('chat.started', ({ accountId, visitorId }) => {
      cancelRuleTimer(ctx, visitorId);
      publishVisitor(ctx, accountId, visitorId);
    });
    // #6: a status, a limit or the departments changed: the widgets' availability and pre-chat departments follow.
    ctx.events.on('availability.changed', ({ accountId }) => announceOperatorAvailability(ctx, accountId));
    hearOtherNodesAvailability(ctx);
  },
});
