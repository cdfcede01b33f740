import type { VisitorNamespace } from '../../realtime/io';
import { socketsIn } from '../../realtime/presence';
import { rooms } from '../../realtime/rooms';

// Read from the Socket.IO rooms on every node (realtime/presence.ts), never from a map of our own (#3).

/** Whether any tab of the visitor is connected (on any node). */
export async function isVisitorOnline(visitors: VisitorNamespace, visitorId: string): Promise<boolean> {
  return (await socketsIn(visitors, rooms.visitor(visitorId))).length > 0;
}

/** Ids of the account's connected visitors. */
export async function onlineVisitorIds(visitors: VisitorNamespace, accountId: string): Promise<string[]> {
  const sockets = await socketsIn(visitors, rooms.accountVisitors(accountId));
  return [...new Set(sockets.map((s) => s.data.visitorId))];
}
