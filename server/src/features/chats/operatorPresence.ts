/**
 * The accepted operator's presence, as their visitors see it (#5): "Olivia is here" only while
 * Olivia has a panel connected somewhere. When her last socket goes (sign-out, browser closed),
 * the visitors of her active chats get `chat:updated` with `operatorPresent: false`; when one comes
 * back, `true`. Presence is read from the rooms of every node (realtime/presence.ts).
 */
import type { OperatorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import type { OperatorSocket } from '../../realtime/io';
import { onlineOperatorIds } from '../../realtime/presence';
import { rooms } from '../../realtime/rooms';
import { presentVisitorConversation } from './presenter';
import { listActiveConversationsOf, type ConversationRow } from './repo';

/**
 * A connection lost by the network (not a sign-out or a closed socket) is given this long before
 * the visitors hear the operator left: the panel reconnects within a few seconds (shared/reconnect.ts),
 * and "Olivia has left" flickering on every network blip would tell visitors something untrue.
 */
export const OPERATOR_LEFT_GRACE_MS = 5_000;
const DELIBERATE = new Set(['server namespace disconnect', 'client namespace disconnect']);

/** Per operator, on this node: what their visitors were last told, and whether a look is running. */
interface Followed {
  announced: boolean | null;
  running: boolean;
  again: boolean;
}
const followed = new WeakMap<AppContext['rt']['operators'], Map<string, Followed>>();

/** Wires an operator socket: its connection and its end may change what the operator's visitors are told. */
export function followOperatorPresence(ctx: AppContext, socket: OperatorSocket, actor: OperatorActor): void {
  announceOperatorPresence(ctx, actor);
  socket.on('disconnect', (reason) => {
    // A stopping server disconnects its visitors as well; they are told afresh when they reconnect.
    if (reason === 'server shutting down') return;
    if (DELIBERATE.has(reason)) announceOperatorPresence(ctx, actor);
    else setTimeout(() => announceOperatorPresence(ctx, actor), OPERATOR_LEFT_GRACE_MS).unref();
  });
}

/**
 * Looks (afresh, on every node) whether the operator is connected and, if that differs from what
 * this node last told their visitors, tells the visitors of their active chats. One look at a time
 * per operator: changes during a look cause one more, so the last word is always the latest state.
 * Another node may announce the same change too; `chat:updated` is idempotent for the widget.
 */
export function announceOperatorPresence(ctx: AppContext, actor: Pick<OperatorActor, 'accountId' | 'operatorId'>): void {
  let operators = followed.get(ctx.rt.operators);
  if (!operators) followed.set(ctx.rt.operators, (operators = new Map()));
  const { accountId, operatorId } = actor;
  let entry = operators.get(operatorId);
  if (!entry) operators.set(operatorId, (entry = { announced: null, running: false, again: false }));
  if (entry.running) {
    entry.again = true;
    return;
  }
  const state = entry;
  state.running = true;
  const look = async () => {
    do {
      state.again = false;
      // Fresh: it also refreshes what widget handshakes read (onlineOperatorIds' one-second cache).
      const present = (await onlineOperatorIds(ctx.rt.operators, accountId, true)).has(operatorId);
      if (present === state.announced) continue;
      const chats = await listActiveConversationsOf(ctx.db, accountId, operatorId);
      state.announced = present;
      for (const c of chats) ctx.rt.visitors.to(rooms.visitor(c.visitorId)).emit('chat:updated', presentVisitorConversation(c, present));
    } while (state.again);
  };
  ctx.background('operator presence', () =>
    look().finally(() => {
      state.running = false;
      // Kept only for operators online: an absent one starts again from "unknown" (announced on connect).
      if (state.announced === false && operators.get(operatorId) === state) operators.delete(operatorId);
    }),
  );
}

/**
 * Whether the conversation's operator has a panel connected; false unless it is active. Reads the
 * account's online operators as widget handshakes do (cached for a second, refreshed by every
 * change announced above).
 */
export async function isOperatorPresent(ctx: AppContext, c: Pick<ConversationRow, 'status' | 'operatorId' | 'accountId'>): Promise<boolean> {
  if (c.status !== 'active' || !c.operatorId) return false;
  return (await onlineOperatorIds(ctx.rt.operators, c.accountId)).has(c.operatorId);
}
