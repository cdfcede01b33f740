/**
 * The chat archive (P9, #6): closed chats are indexed by the durable job `archive.index` (a table
 * of their own, chat_archive: the hot message path stays as it was) and operators search them by
 * words, visitor, operator, department, date and rating; the panel opens one read-only.
 */
import { defineFeature } from '../feature';
import { operatorArchiveCommands } from './handlers';
import { archiveBackfillJob, archiveIndexJob } from './job';

export const archive = defineFeature({
  name: 'archive',
  operatorCommands: operatorArchiveCommands,
  jobs: [archiveIndexJob, archiveBackfillJob],
  listen: (ctx) => {
    // After commit (events/bus.ts); the job reads the chat as it is when it runs, so a close and
    // a rating in quick succession, or a chat opened again meanwhile, end up right either way.
    const reindex = ({ accountId, conversationId }: { accountId: string; conversationId: string }) =>
      ctx.jobs.enqueue(archiveIndexJob, { conversationId }, { accountId });
    ctx.events.on('chat.closed', reindex);
    ctx.events.on('chat.rated', reindex);
  },
});
