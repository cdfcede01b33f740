import { z } from 'zod';
import { uuid } from '../../../../shared/schemas/common';
import { defineJob, PermanentJobError } from '../../jobs/define';
import { indexConversations, unindexedClosedConversations } from './repo';

/**
 * `archive.index` (P9, #6): writes a conversation's archive row from the database as it is when
 * the job runs — closed: indexed (its messages, rating, operator); open again: removed. Enqueued
 * when a chat closes and when its rating changes; running twice changes nothing.
 */
export const archiveIndexJob = defineJob({
  kind: 'archive.index',
  payload: z.object({ conversationId: uuid }),
  handler: async (ctx, { conversationId }, job) => {
    if (!job.accountId) throw new PermanentJobError('archive.index needs the account it is for');
    await indexConversations(ctx.db, job.accountId, [conversationId]);
  },
});

const BACKFILL_BATCH = 200;
/** One attempt's share of the work; the next batch is another job (an attempt has 60 s). */
const BACKFILL_SLICE_MS = 20_000;

/**
 * `archive.backfill`: indexes closed chats that are not in the archive (those closed before it
 * existed: migration 0020 enqueues this once), batch after batch, then a new job after a slice of
 * time so no attempt runs into its timeout.
 */
export const archiveBackfillJob = defineJob({
  kind: 'archive.backfill',
  payload: z.object({ after: z.object({ accountId: uuid, id: uuid }).optional() }),
  handler: async (ctx, { after }) => {
    const started = Date.now();
    let from = after ?? null;
    for (;;) {
      const batch = await unindexedClosedConversations(ctx.db, from, BACKFILL_BATCH);
      const accounts = new Map<string, string[]>();
      for (const c of batch) accounts.set(c.accountId, [...(accounts.get(c.accountId) ?? []), c.id]);
      for (const [accountId, ids] of accounts) await indexConversations(ctx.db, accountId, ids);
      if (batch.length < BACKFILL_BATCH) return;
      from = batch[batch.length - 1]!;
      if (Date.now() - started > BACKFILL_SLICE_MS) {
        await ctx.jobs.enqueue(archiveBackfillJob, { after: from });
        return;
      }
    }
  },
});
