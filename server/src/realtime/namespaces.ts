import type { Actor, OperatorActor, VisitorActor } from '../access/actor';
import { requireRole } from '../access/roles';
import type { AppContext } from '../context';
import { operatorHandshake } from '../features/auth/handlers';
import type { BoundCommands } from '../features/feature';
import { features } from '../features/index';
import { visitorHandshake } from '../features/visitors/handlers';
import type { OperatorSocket, VisitorSocket } from './io';
import { rooms } from './rooms';

/**
 * Registers every command of `bound` on the socket (#5): rate limit, then the contract's minimum
 * role (`forbidden` before the payload is read), then the payload's schema, then the handler.
 */
function register<A extends Actor, S extends OperatorSocket | VisitorSocket>(ctx: AppContext, socket: S, actor: A, bound: BoundCommands<A, S>): void {
  const withAck = ctx.withAck(socket);
  for (const [event, spec] of Object.entries(bound.contract)) {
    const handler = bound.handlers[event]!;
    const listener = withAck(spec.payload, (input) => handler.run(ctx, actor, input, socket), {
      limit: handler.limit,
      authorize: () => requireRole(actor, spec.role),
    });
    (socket as OperatorSocket).on(event as 'chat:list', listener as never);
  }
}

/** Wires handshakes, every feature's commands and connection hooks on /operator and /visitor. */
export function attachNamespaces(ctx: AppContext): void {
  const { operators, visitors } = ctx.rt;

  operators.use(operatorHandshake(ctx));
  operators.on('connection', (socket) => {
    const { accountId, operatorId, operatorName, role, sessionId } = socket.data;
    const actor: OperatorActor = { kind: 'operator', accountId, operatorId, name: operatorName, role };
    void socket.join([rooms.accountOperators(accountId), rooms.operator(operatorId), rooms.operatorSession(sessionId)]);
    for (const feature of features) if (feature.operatorCommands) register(ctx, socket, actor, feature.operatorCommands);
    for (const feature of features) feature.onOperatorConnection?.(ctx, socket, actor);
  });

  visitors.use(visitorHandshake(ctx));
  visitors.on('connection', (socket) => {
    const actor: VisitorActor = { kind: 'visitor', accountId: socket.data.accountId, visitorId: socket.data.visitorId };
    for (const feature of features) if (feature.visitorCommands) register(ctx, socket, actor, feature.visitorCommands);
    for (const feature of features) feature.onVisitorConnection?.(ctx, socket, actor);
  });
}
