import type { OperatorNamespace, VisitorNamespace } from '../../realtime/io';
import { rooms } from '../../realtime/rooms';

// Presence is read from the Socket.IO rooms, not kept in a map of our own: `fetchSockets()`
// asks every node through the adapter, so it stays right with several processes (#3).
// If the other nodes can't be asked (Redis down, a node gone), this node's own view is used
// rather than failing (or holding) the command or handshake that needed it.

type Namespace = VisitorNamespace | OperatorNamespace;

/** Longest a cross-node lookup may hold a handshake or a command (the adapter's own timeout is 2 s). */
export const PRESENCE_TIMEOUT_MS = 2_500;

async function socketsIn<N extends Namespace>(ns: N, room: string): Promise<Awaited<ReturnType<N['fetchSockets']>>> {
  type Result = Awaited<ReturnType<N['fetchSockets']>>;
  const local = () => ns.local.in(room).fetchSockets() as Promise<Result>;
  let timer: NodeJS.Timeout | undefined;
  const remote = ns.in(room).fetchSockets() as Promise<Result>;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), PRESENCE_TIMEOUT_MS)));
  try {
    return (await Promise.race([remote, timeout])) ?? (await local());
  } catch {
    return local();
  } finally {
    clearTimeout(timer);
    remote.catch(() => undefined); // a late failure after the timeout is not an unhandled rejection
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

/** How long one count of an account's online operators serves the widget handshakes that ask for it. */
const OPERATOR_COUNT_TTL_MS = 1_000;
const operatorCounts = new WeakMap<OperatorNamespace, Map<string, { at: number; count: Promise<number> }>>();

/**
 * How many distinct operators of the account are connected. Every widget handshake asks (#4):
 * after a restart thousands of them arrive at once, and with Redis each count is a round of
 * requests to every node, so one count serves an account's handshakes for a second. Changes
 * reach connected widgets anyway through `availability:updated`, which counts afresh.
 */
export function countOperatorsOnline(operators: OperatorNamespace, accountId: string, fresh = false): Promise<number> {
  let counts = operatorCounts.get(operators);
  if (!counts) operatorCounts.set(operators, (counts = new Map()));
  const hit = counts.get(accountId);
  if (!fresh && hit && Date.now() - hit.at < OPERATOR_COUNT_TTL_MS) return hit.count;
  if (counts.size >= 10_000) counts.clear();
  const count = socketsIn(operators, rooms.accountOperators(accountId)).then((sockets) => new Set(sockets.map((s) => s.data.operatorId)).size);
  counts.set(accountId, { at: Date.now(), count });
  return count;
}
