/**
 * Availability and departments (P11, A1, #6): operators' status and auto-away, "View operators"
 * with load, limits of concurrent chats, departments and the account's routing settings. The
 * chats feature routes waiting chats by them (chats/routing.ts), hearing `availability.changed`.
 */
import { defineFeature } from '../feature';
import './events';
import { operatorRoutingCommands } from './handlers';
import { routingRoutes } from './routes';
import { AUTO_AWAY_EVERY_MS, loadChanged, operatorConnected, runAutoAway } from './service';

export const routing = defineFeature({
  name: 'routing',
  routes: routingRoutes,
  operatorCommands: operatorRoutingCommands,
  onOperatorConnection: operatorConnected,
  listen: (ctx) => {
    // "View operators" shows each operator's load live.
    ctx.events.on('chat.accepted', ({ accountId, conversationId }) => loadChanged(ctx, accountId, conversationId));
    ctx.events.on('chat.closed', ({ accountId, conversationId }) => loadChanged(ctx, accountId, conversationId));
    ctx.events.on('chat.reopened', ({ accountId, conversationId }) => loadChanged(ctx, accountId, conversationId));
    ctx.events.on('chat.transferred', ({ accountId, conversationId, fromOperatorId }) => loadChanged(ctx, accountId, conversationId, [fromOperatorId]));
    // Auto-away (P11): every node looks now and then; one UPDATE, so each change is announced once.
    const timer = setInterval(() => ctx.background('auto-away', () => runAutoAway(ctx)), AUTO_AWAY_EVERY_MS);
    timer.unref();
  },
});
