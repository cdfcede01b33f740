import { z } from 'zod';
import { text, uuid } from '../../../../shared/schemas/common';
import { defineJob, PermanentJobError } from '../../jobs/define';
import { sendMail } from '../../mail/send';
import { MAX_TRANSCRIPT_CHARS, renderTranscript } from './render';
import { findConversation } from '../../db/conversations';
import { publicMessagesAfter, TRANSCRIPT_PAGE_SIZE, type TranscriptMessage } from './repo';

/**
 * `transcript.send` (V2): renders the transcript when it runs, from the database, and hands it to
 * `mail.send` (one mail per job, however often this runs: keyed by the job's id). The row stays
 * small (a conversation and an address), and a visitor forgotten before it runs (#4) is mailed
 * nothing. Only public messages are read: internal ones never get in (#5).
 */
export const transcriptSendJob = defineJob({
  kind: 'transcript.send',
  payload: z.object({ conversationId: uuid, to: text().max(320).pipe(z.email()) }),
  handler: async (ctx, { conversationId, to }, job) => {
    const accountId = job.accountId;
    if (!accountId) throw new PermanentJobError('transcript.send needs the account it is for');
    const [conversation, account] = await Promise.all([findConversation(ctx.db, accountId, conversationId), ctx.accounts.get(accountId)]);
    if (!conversation || !account) return ctx.log.info(`transcript.send ${job.id}: the conversation is gone (its visitor was forgotten); nothing to send`);

    const messages: TranscriptMessage[] = [];
    let chars = 0;
    let cut = false;
    for (let after = 0; ;) {
      const page = await publicMessagesAfter(ctx.db, accountId, conversationId, after);
      for (const m of page) {
        if ((chars += m.body.length + m.authorName.length + (m.fileName?.length ?? 0) + 20) > MAX_TRANSCRIPT_CHARS) cut = true;
        if (cut) break;
        messages.push(m);
      }
      if (cut || page.length < TRANSCRIPT_PAGE_SIZE) break;
      after = page[page.length - 1]!.seq;
    }

    const mail = renderTranscript({ accountName: account.name, visitorName: conversation.visitorName, messages, cut });
    await sendMail(ctx, { accountId, to, ...mail }, { key: `transcript:${job.id}` });
  },
});
