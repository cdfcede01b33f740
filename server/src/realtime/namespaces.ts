import type { AppContext } from '../context';
import { operatorHandshake } from '../features/auth/handlers';
import { registerOperatorChatHandlers } from '../features/chats/handlers';
import { onVisitorConnection, registerOperatorVisitorHandlers, visitorHandshake } from '../features/visitors/handlers';
import { announceOperatorAvailability } from '../features/visitors/service';
import { rooms } from './rooms';

/** Wires handshakes and connection handlers of /operator and /visitor. */
export function attachNamespaces(ctx: AppContext): void {
  const { operators, visitors } = ctx.rt;

  operators.use(operatorHandshake(ctx));
  operators.on('connection', (socket) => {
    const { accountId, operatorId, sessionId } = socket.data;
    void socket.join([rooms.accountOperators(accountId), rooms.operator(operatorId), rooms.operatorSession(sessionId)]);
    registerOperatorVisitorHandlers(ctx, socket);
    registerOperatorChatHandlers(ctx, socket);
    announceOperatorAvailability(ctx, accountId);
    socket.on('disconnect', () => announceOperatorAvailability(ctx, accountId));
  });

  visitors.use(visitorHandshake(ctx));
  visitors.on('connection', (socket) => onVisitorConnection(ctx, socket));
}
