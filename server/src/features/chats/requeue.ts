/**
 * A disabled operator's chats go back to waiting (#6, A5 × A1): their sockets are cut and they
 * can't sign in again, so a chat left with them would wait unseen for ever. Each goes to the queue
 * of its own department (the account's when it has none), the visitor reads one system line, the
 * wait and its escalation start again, and auto-assign drains the queue.
 */
import { z } from 'zod';
import type { AppContext } from '../../context';
import { defineJob } from '../../jobs/define';
import { publishConversation, publishMessage } from './fanout';
import { appendMessages, listActiveConversationsOf } from './repo';
import { drainQueue, scheduleEscalation, systemNote } from './routing';
import { moveToDepartment } from './routingRepo';

async function requeueChatsOf(ctx: AppContext, accountId: string, operatorId: string, operatorName: string): Promise<void> {
  for (const c of await listActiveConversationsOf(ctx.db, accountId, operatorId)) {
    const written = await ctx.db.transaction(async (tx) => {
      const moved = await moveToDepartment(tx, accountId, c.id, { status: 'active', operatorId }, c.departmentId, ctx.clock.sqlNow());
      if (!moved) return null; // closed or transferred meanwhile
      const [note] = await appendMessages(tx, [systemNote(moved, `${operatorName} is no longer available: the chat waits for a colleague`)]);
      if (!note?.ok || !note.conversation) throw new Error('requeueChatsOf: the note was not stored');
      await scheduleEscalation(ctx, tx, note.conversation);
      return note;
    });
    if (!written?.ok || !written.conversation) continue;
    publishMessage(ctx, written.conversation, written.message);
    publishConversation(ctx, written.conversation, { visitor: true, operatorPresent: false, requested: true });
    ctx.events.publish('chat.transferred', { accountId, conversationId: c.id, fromOperatorId: operatorId, toOperatorId: null });
  }
  drainQueue(ctx, accountId);
}

/** The requeue as a durable job (enqueued when the operator is disabled): retried until every chat is back in a queue. */
export const requeueJob = defineJob({
  kind: 'chats.requeueOperator',
  payload: z.object({ operatorId: z.uuid(), name: z.string() }),
  maxAttempts: 10,
  backoff: { baseMs: 2_000, maxMs: 60_000 },
  timeoutMs: 30_000,
  handler: async (ctx, { operatorId, name }, job) => {
    if (job.accountId) await requeueChatsOf(ctx, job.accountId, operatorId, name);
  },
});
