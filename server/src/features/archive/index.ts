/**
 * The chat archive (P9, #6): closed chats are indexed by the durable job `archive.index` (a table
 * of their own, chat_archive: the hot message path stays as it was) and operators search them by
 * words, visitor, operator, department, date and rating; the panel opens one read-only.
 */
import type { Db } from '../../db/client';
import { defineFeature } from '../feature';
import { operatorArchiveCommands } from './handlers';
import { archiveBackfillJob, archiveIndexJob } from './job';

export const archive = defineFeature({
  name: 'archive',
  operatorCommands: operatorArchiveCommands,
  jobs: [archiveIndexJob, archiveBackfillJob],
  listen: (ctx) => {
    // Inside the transaction of the close, the rating or the reopening (events/bus.ts `record`):
    // the job exists if and only if the change committed, so a crash right after the commit loses
    // no indexing. The job reads the chat as it is when it runs, so a close and a rating in quick
    // succession, or a chat reopened meanwhile (its row leaves the archive), end up right either way.
    const reindex = async ({ accountId, conversationId }: { accountId: string; conversationId: string }, tx: Db) => {
      await ctx.jobs.enqueue(archiveIndexJob, { conversationId }, { accountId, tx });
    };
    ctx.events.inTransaction('chat.closed', reindex);
    ctx.events.inTransaction('chat.rated', reindex);
    ctx.events.inTransaction('chat.reopened', reindex);
    // Enqueued in a transaction, a job waits for the next poll; after the commit, start it now.
    const wake = () => ctx.jobs.wake();
    ctx.events.on('chat.closed', wake);
    ctx.events.on('chat.rated', wake);
    ctx.events.on('chat.reopened', wake);
  },
});
