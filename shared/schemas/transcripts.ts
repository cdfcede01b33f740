import { z } from 'zod';
import { MAX_EMAIL_LENGTH } from '../protocol/limits';
import { text, uuid } from './common';

/** `transcript:send` (V2): "email me the transcript" of the visitor's own ended chat. */
export const transcriptSendPayload = z.object({
  conversationId: uuid,
  email: text().trim().pipe(z.email('That email address does not look right.').max(MAX_EMAIL_LENGTH)),
});
export type TranscriptSendPayload = z.infer<typeof transcriptSendPayload>;

/** The transcript is on its way (a durable job renders and mails it within seconds). */
export interface TranscriptQueued {
  /** The address it goes to, as the server read it. */
  to: string;
}
