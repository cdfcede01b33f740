/**
 * Supervision (W4): monitoring the account's chats that are not one's own. A panel watching a
 * chat (`chat:watch`) joins two rooms: the conversation's watchers (its messages live, whispers
 * included: fanout.ts) and its monitors, whose members are what the chat's operator sees as
 * "Watched by". Who watches is read from the rooms of every node (realtime/presence.ts), so it
 * holds with several processes; a change (watch, unwatch, a monitoring panel gone) is announced
 * to the chat's followers with `chat:watchers`, never to the visitor.
 */
import type { MonitoredChatView, WatchedChatView, WatcherView, ConversationRef } from '../../../../shared/schemas/chats';
import { AppError } from '../../../../shared/errors';
import type { OperatorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import { findConversation } from '../../db/conversations';
import type { OperatorSocket } from '../../realtime/io';
import { socketsIn } from '../../realtime/presence';
import { rooms } from '../../realtime/rooms';
import { publishWatchers } from './fanout';
import { requireMonitorRight } from './monitorRight';
import { presentConversation } from './presenter';
import { listOpenConversations, type ConversationRow } from './repo';
import { withMessages } from './service';

const MONITORS = /^conversation:(.+):monitors$/;

/** Operators in a set of sockets' rooms, once each, by name (the chat's own operator left out). */
function watchersOf(sockets: { data: { operatorId: string; operatorName: string } }[], except: string | null): WatcherView[] {
  const byId = new Map<string, WatcherView>();
  for (const s of sockets) if (s.data.operatorId !== except) byId.set(s.data.operatorId, { operatorId: s.data.operatorId, name: s.data.operatorName });
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Who monitors the conversation now, on every node. */
async function currentWatchers(ctx: AppContext, c: Pick<ConversationRow, 'id' | 'operatorId'>): Promise<WatcherView[]> {
  return watchersOf(await socketsIn(ctx.rt.operators, rooms.conversationMonitors(c.id)), c.operatorId);
}

/** Tells the conversation's followers who watches it now. */
export async function announceWatchers(ctx: AppContext, accountId: string, conversationId: string): Promise<void> {
  const c = await findConversation(ctx.db, accountId, conversationId);
  if (c) publishWatchers(ctx, c, await currentWatchers(ctx, c));
}

/** W4: the account's active chats that are not the caller's, each with who watches it. */
export async function monitorChats(ctx: AppContext, actor: OperatorActor): Promise<MonitoredChatView[]> {
  await requireMonitorRight(ctx, actor);
  const [open, sockets] = await Promise.all([
    listOpenConversations(ctx.db, actor.accountId),
    // One look at the account's operator sockets (every node) answers for all its chats.
    socketsIn(ctx.rt.operators, rooms.accountOperators(actor.accountId)),
  ]);
  const byChat = new Map<string, typeof sockets>();
  for (const s of sockets) {
    for (const room of s.rooms) {
      const id = MONITORS.exec(room)?.[1];
      if (id) byChat.set(id, [...(byChat.get(id) ?? []), s]);
    }
  }
  return open
    .filter((c) => c.status === 'active' && c.operatorId !== actor.operatorId)
    .map((c) => ({ conversation: presentConversation(c), watchers: watchersOf(byChat.get(c.id) ?? [], c.operatorId) }));
}

/**
 * W4: opens a chat to monitor it. The socket joins its rooms before the messages are read, so
 * nothing stored after the read is missed. The chat's own operator just opens it (not a watcher).
 */
export async function watchChat(ctx: AppContext, actor: OperatorActor, input: ConversationRef, socket: OperatorSocket): Promise<WatchedChatView> {
  const c = await findConversation(ctx.db, actor.accountId, input.conversationId);
  if (!c) throw new AppError('not_found', 'Conversation not found.');
  const own = c.operatorId === actor.operatorId;
  if (!own) await requireMonitorRight(ctx, actor);
  await socket.join(own ? [rooms.conversationWatchers(c.id)] : [rooms.conversationWatchers(c.id), rooms.conversationMonitors(c.id)]);
  const [chat, watchers] = await Promise.all([withMessages(ctx, c), currentWatchers(ctx, c)]);
  if (!own) publishWatchers(ctx, c, watchers);
  return { ...chat, watchers };
}

/** W4: stops watching; announced if this socket was monitoring it. */
export async function unwatchChat(ctx: AppContext, actor: OperatorActor, input: ConversationRef, socket: OperatorSocket): Promise<null> {
  if (!(await findConversation(ctx.db, actor.accountId, input.conversationId))) throw new AppError('not_found', 'Conversation not found.');
  const monitoring = socket.rooms.has(rooms.conversationMonitors(input.conversationId));
  await socket.leave(rooms.conversationMonitors(input.conversationId));
  await socket.leave(rooms.conversationWatchers(input.conversationId));
  if (monitoring) await announceWatchers(ctx, actor.accountId, input.conversationId);
  return null;
}

/** A socket that stops monitoring without saying so (taken over by itself, or its panel gone). */
export async function stopMonitoring(ctx: AppContext, accountId: string, socket: OperatorSocket, conversationId: string): Promise<void> {
  if (!socket.rooms.has(rooms.conversationMonitors(conversationId))) return;
  await socket.leave(rooms.conversationMonitors(conversationId));
  await announceWatchers(ctx, accountId, conversationId);
}

/** W4: a monitoring panel that disconnects is no longer watching: its chats' operators are told. */
export function followMonitors(ctx: AppContext, socket: OperatorSocket, actor: OperatorActor): void {
  let watched: string[] = [];
  socket.on('disconnecting', () => {
    watched = [...socket.rooms].flatMap((room) => MONITORS.exec(room)?.[1] ?? []);
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'server shutting down') return;
    for (const id of watched) ctx.background('watchers', () => announceWatchers(ctx, actor.accountId, id));
  });
}
