/**
 * Routing waiting chats (A1, #6). Manual: a department's operators see its waiting chats and one
 * accepts. Auto-assign: the server gives each waiting chat, oldest first, to the online operator
 * of its department with the fewest chats below their limit (the longest without a new one among
 * equals); when all are full it waits in the queue, which drains whenever someone may take more
 * (a chat closed or transferred away, a status back to online, a limit raised: the event
 * `availability.changed`). Taking a chat, by hand or not, is one conditional UPDATE under the
 * operator's row lock, so exactly one taker wins and limits hold across nodes. A chat waiting too
 * long is escalated by durable jobs: its department is alerted again, then every operator.
 */
import { z } from 'zod';
import { roleReaches } from '../../../../shared/contract';
import { AppError } from '../../../../shared/errors';
import type { OperatorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { defineJob } from '../../jobs/define';
import { accountAvailability } from '../../realtime/availability';
import { rooms } from '../../realtime/rooms';
import { publishConversation, publishMessage } from './fanout';
import { presentConversation } from './presenter';
import { appendMessages, type ConversationRow, type MessageRow, type NewMessage } from './repo';
import {
  candidates,
  departmentOperatorIds,
  escalateConversation,
  findDepartment,
  isDepartmentMember,
  lockOperator,
  routingOf,
  takeConversation,
  waitingConversations,
} from './routingRepo';
import { randomUUID } from 'node:crypto';

/** A chat taken, with the note the visitor sees ("Olivia joined the chat"). */
export interface Taken {
  conversation: ConversationRow;
  message: MessageRow;
}

export const systemNote = (conversation: Pick<ConversationRow, 'accountId' | 'id'>, body: string): NewMessage => ({
  accountId: conversation.accountId,
  conversationId: conversation.id,
  clientId: `sys-${randomUUID()}`,
  author: 'system',
  body,
});

/**
 * The operator takes the waiting chat, within their limit: `{ limit }` when they are full, `gone`
 * when it isn't waiting any more (another operator won, or it closed). `online`: only if their
 * status is online (auto-assignment; by hand an away operator may still accept).
 */
export async function takeChat(
  ctx: AppContext,
  accountId: string,
  conversationId: string,
  operatorId: string,
  opts: { online?: boolean } = {},
): Promise<Taken | { limit: number } | 'gone' | 'unavailable'> {
  return ctx.db.transaction(async (tx) => {
    const op = await lockOperator(tx, accountId, operatorId);
    if (!op?.active || (opts.online && op.availability !== 'online')) return 'unavailable';
    if (op.load >= op.maxChats) return { limit: op.maxChats };
    const taken = await takeConversation(tx, accountId, conversationId, { id: operatorId, name: op.name }, ctx.clock.sqlNow());
    if (!taken) return 'gone';
    const [note] = await appendMessages(tx, [systemNote(taken, `${op.name} joined the chat`)]);
    if (!note?.ok || !note.conversation) throw new Error('takeChat: the system message was not stored');
    return { conversation: note.conversation, message: note.message };
  });
}

/**
 * Manual accept's rules besides the limit: a chat of a department is its members' until it is
 * escalated to everyone (level 2); supervisors and admins may take any.
 */
export async function checkMayAccept(ctx: AppContext, actor: OperatorActor, c: ConversationRow): Promise<void> {
  if (!c.departmentId || c.escalationLevel >= 2 || roleReaches(actor.role, 'supervisor')) return;
  if (await isDepartmentMember(ctx.db, actor.accountId, c.departmentId, actor.operatorId)) return;
  const dept = await findDepartment(ctx.db, actor.accountId, c.departmentId);
  throw new AppError('forbidden', `This chat waits for the ${dept?.name ?? 'other'} department.`);
}

/** The refusal of a chat someone else took first. */
export function takenError(c: Pick<ConversationRow, 'operatorName'>): AppError {
  return new AppError('chat_taken', `${c.operatorName ?? 'Another operator'} has already accepted this chat.`);
}

export function limitError(limit: number): AppError {
  return new AppError('limit_reached', `You have ${limit} open chat${limit === 1 ? '' : 's'}, your limit: close one first.`);
}

/** Tells everyone a chat was given to an operator by the server (auto-assignment). */
function announceAssigned(ctx: AppContext, taken: Taken, operatorId: string): void {
  const { conversation, message } = taken;
  ctx.events.publish('chat.accepted', { accountId: conversation.accountId, conversationId: conversation.id, operatorId });
  publishConversation(ctx, conversation, { visitor: true, operatorPresent: true });
  publishMessage(ctx, conversation, message);
  ctx.rt.operators.to(rooms.operator(operatorId)).emit('chat:assigned', { conversation: presentConversation(conversation), by: 'auto', fromName: null });
}

// ── the queue ──────────────────────────────────────────────────────────────────────────────

/** Waiting chats one drain looks at (oldest first); the next drain takes the rest. */
const DRAIN_BATCH = 100;

/** Gives the chat to the best available operator of its department; false if nobody can take it now. */
async function assignOne(ctx: AppContext, c: ConversationRow, available: Set<string>): Promise<boolean> {
  for (const op of await candidates(ctx.db, c.accountId, c.departmentId)) {
    if (!available.has(op.id)) continue;
    const taken = await takeChat(ctx, c.accountId, c.id, op.id, { online: true });
    if (taken === 'gone') return false;
    if (typeof taken === 'object' && 'conversation' in taken) {
      announceAssigned(ctx, taken, op.id);
      return true;
    }
  }
  return false;
}

/** Auto-assign mode only: each waiting chat of the account, oldest first, to whoever may take it. */
async function drainOnce(ctx: AppContext, accountId: string): Promise<void> {
  if ((await routingOf(ctx.db, accountId)).mode !== 'auto') return;
  const waiting = await waitingConversations(ctx.db, accountId, DRAIN_BATCH);
  if (!waiting.length) return;
  const { availableIds } = await accountAvailability(ctx.db, ctx.rt.operators, accountId, true);
  if (!availableIds.size) return;
  for (const c of waiting) await assignOne(ctx, c, availableIds);
}

/** Per account, on this node: one drain at a time; a reason to drain during one causes one more. */
const draining = new WeakMap<AppContext['rt']['operators'], Map<string, { again: boolean }>>();

/** Drains the account's queue soon (auto-assign); several reasons at once make one or two drains. */
export function drainQueue(ctx: AppContext, accountId: string): void {
  let accounts = draining.get(ctx.rt.operators);
  if (!accounts) draining.set(ctx.rt.operators, (accounts = new Map()));
  const running = accounts.get(accountId);
  if (running) {
    running.again = true;
    return;
  }
  const state = { again: false };
  accounts.set(accountId, state);
  ctx.background('routing queue', async () => {
    try {
      do {
        state.again = false;
        await drainOnce(ctx, accountId);
      } while (state.again);
    } finally {
      accounts.delete(accountId);
    }
  });
}

// ── escalation ─────────────────────────────────────────────────────────────────────────────

const escalationPayload = z.object({ conversationId: z.uuid(), waitingSince: z.iso.datetime(), level: z.number().int().min(1).max(2) });

/**
 * A chat still waiting (the same wait) when it falls due: level 1 alerts its department's
 * operators again (everyone's for a chat of no department), level 2, as long again after, every
 * operator of the account (and they may then accept it whatever their departments).
 */
export const escalationJob = defineJob({
  kind: 'chats.escalate',
  payload: escalationPayload,
  maxAttempts: 5,
  backoff: { baseMs: 2_000, maxMs: 60_000 },
  timeoutMs: 15_000,
  handler: async (ctx, { conversationId, waitingSince, level }, job) => {
    const accountId = job.accountId;
    if (!accountId) return;
    const row = await escalateConversation(ctx.db, accountId, conversationId, new Date(waitingSince), level);
    if (!row) return; // taken, closed or moved to another queue meanwhile
    const conversation = presentConversation(row);
    const targets =
      level === 1 && row.departmentId
        ? (await departmentOperatorIds(ctx.db, accountId, row.departmentId)).map((id) => rooms.operator(id))
        : [rooms.accountOperators(accountId)];
    if (targets.length) ctx.rt.operators.to(targets).emit('chat:escalated', { conversation, level });
    publishConversation(ctx, row);
    const { escalationSeconds } = await routingOf(ctx.db, accountId);
    if (level === 1 && escalationSeconds > 0) await scheduleEscalation(ctx, ctx.db, row, 2, escalationSeconds);
    drainQueue(ctx, accountId);
  },
});

/**
 * Schedules the escalation of a chat that starts waiting (in the caller's transaction: it exists
 * if and only if the wait does). Keyed by chat, wait and level: scheduling twice is harmless.
 */
export async function scheduleEscalation(
  ctx: AppContext,
  tx: Db,
  c: Pick<ConversationRow, 'accountId' | 'id' | 'waitingSince'>,
  level = 1,
  seconds?: number,
): Promise<void> {
  const after = seconds ?? (await routingOf(tx, c.accountId)).escalationSeconds;
  if (after <= 0) return;
  const waitingSince = c.waitingSince.toISOString();
  await ctx.jobs.enqueue(
    escalationJob,
    { conversationId: c.id, waitingSince, level },
    { accountId: c.accountId, runAt: new Date(ctx.clock.now() + after * 1000), key: `${c.id}:${waitingSince}:${level}`, tx },
  );
}
