import type { OperatorNamespace, VisitorNamespace } from '../../realtime/io';
import { rooms } from '../../realtime/rooms';

// Presence is read from the Socket.IO rooms, not kept in a map of our own: `fetchSockets()`
// asks every node through the adapter, so it stays right with several processes (#3).

/** Whether any tab of the visitor is connected (on any node). */
export async function isVisitorOnline(visitors: VisitorNamespace, visitorId: string): Promise<boolean> {
  return (await visitors.in(rooms.visitor(visitorId)).fetchSockets()).length > 0;
}

/** Ids of the account's connected visitors. */
export async function onlineVisitorIds(visitors: VisitorNamespace, accountId: string): Promise<string[]> {
  const sockets = await visitors.in(rooms.accountVisitors(accountId)).fetchSockets();
  return [...new Set(sockets.map((s) => s.data.visitorId))];
}

/** How many distinct operators of the account are connected. */
export async function countOperatorsOnline(operators: OperatorNamespace, accountId: string): Promise<number> {
  const sockets = await operators.in(rooms.accountOperators(accountId)).fetchSockets();
  return new Set(sockets.map((s) => s.data.operatorId)).size;
}
