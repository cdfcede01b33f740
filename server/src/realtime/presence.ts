import type { OperatorNamespace, VisitorNamespace } from './io';
import { rooms } from './rooms';

// Presence is read from the Socket.IO rooms, not kept in a map of our own: `fetchSockets()`
// asks every node through the adapter, so it stays right with several processes (#3).
// If the other nodes can't be asked (Redis down, a node gone), this node's own view is used
// rather than failing (or holding) the command or handshake that needed it.

type Namespace = VisitorNamespace | OperatorNamespace;

/** Longest a cross-node lookup may hold a handshake or a command (the adapter's own timeout is 2 s). */
const PRESENCE_TIMEOUT_MS = 2_500;

/** The sockets in `room` on every node (this node's alone when the others don't answer in time). */
export async function socketsIn<N extends Namespace>(ns: N, room: string): Promise<Awaited<ReturnType<N['fetchSockets']>>> {
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

/** How long one lookup of an account's online operators serves the widget handshakes that ask for it. */
const OPERATORS_ONLINE_TTL_MS = 1_000;
const operatorsOnline = new WeakMap<OperatorNamespace, Map<string, { at: number; ids: Promise<Set<string>> }>>();

/**
 * Ids of the account's operators with a panel connected. Every widget handshake asks (#4: how
 * many are online, and whether the operator of its chat is among them): after a restart thousands
 * arrive at once, and with Redis each lookup is a round of requests to every node, so one lookup
 * serves an account's handshakes for a second. `fresh` skips that: the broadcasts of a change
 * (`availability:updated`, an operator's presence in their chats) look afresh.
 */
export function onlineOperatorIds(operators: OperatorNamespace, accountId: string, fresh = false): Promise<Set<string>> {
  let accounts = operatorsOnline.get(operators);
  if (!accounts) operatorsOnline.set(operators, (accounts = new Map()));
  const hit = accounts.get(accountId);
  if (!fresh && hit && Date.now() - hit.at < OPERATORS_ONLINE_TTL_MS) return hit.ids;
  if (accounts.size >= 10_000) accounts.clear();
  const ids = socketsIn(operators, rooms.accountOperators(accountId)).then((sockets) => new Set(sockets.map((s) => s.data.operatorId)));
  accounts.set(accountId, { at: Date.now(), ids });
  return ids;
}
