import type { OperatorNamespace, VisitorNamespace } from '../../realtime/io';
import { rooms } from '../../realtime/rooms';

// Presence is read from the Socket.IO rooms, not kept in a map of our own: `fetchSockets()`
// asks every node through the adapter, so it stays right with several processes (#3).
// If the other nodes can't be asked (Redis down, a node gone), this node's own view is used
// rather than failing the command or handshake that needed it.

type Namespace = VisitorNamespace | OperatorNamespace;

async function socketsIn<N extends Namespace>(ns: N, room: string): Promise<Awaited<ReturnType<N['fetchSockets']>>> {
  type Result = Awaited<ReturnType<N['fetchSockets']>>;
  try {
    return (await ns.in(room).fetchSockets()) as Result;
  } catch {
    return (await ns.local.in(room).fetchSockets()) as Result;
  }
}

/** Whether any tab of the visitor is connected (on any node). */
export async function isVisitorOnline(visitors: VisitorNamespace, visitorId: string): Promise<boolean> {
  return (await socketsIn(visitors, rooms.visitor(visitorId))).length > 0;
}

/** Ids of the account's connected visitors. */
export async function onlineVisitorIds(visitors: VisitorNamespace, accountId: string): Promise<string[]> {
  const sockets = await socketsIn(visitors, rooms.accountVisitors(accountId));
  return [...new Set(sockets.map((s) => s.data.visitorId))];
}

/** How many distinct operators of the account are connected. */
export async function countOperatorsOnline(operators: OperatorNamespace, accountId: string): Promise<number> {
  const sockets = await socketsIn(operators, rooms.accountOperators(accountId));
  return new Set(sockets.map((s) => s.data.operatorId)).size;
}
