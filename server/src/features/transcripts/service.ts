import { AppError } from '../../../../shared/errors';
import type { TranscriptQueued, TranscriptSendPayload } from '../../../../shared/schemas/transcripts';
import type { VisitorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import { transcriptSendJob } from './job';
import { findConversation } from '../../db/conversations';

/**
 * "Email me the transcript" (V2): the visitor's own ended chat, to the address they typed. Queues
 * a durable job that renders and mails it (job.ts); counted per recipient and per account first
 * (limits/visitorMail.ts), after the command's own per-visitor limit.
 */
export async function requestTranscript(ctx: AppContext, actor: VisitorActor, input: TranscriptSendPayload): Promise<TranscriptQueued> {
  const conversation = await findConversation(ctx.db, actor.accountId, input.conversationId, actor.visitorId);
  if (!conversation) throw new AppError('not_found', 'Conversation not found.');
  if (conversation.status !== 'closed') throw new AppError('conflict', 'The transcript can be sent once the chat has ended.');
  await ctx.limits.visitorMail.consume(actor.accountId, input.email);
  await ctx.jobs.enqueue(transcriptSendJob, { conversationId: conversation.id, to: input.email }, { accountId: actor.accountId });
  return { to: input.email };
}
