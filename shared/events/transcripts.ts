/**
 * Transcripts (V2, #5): "email me the transcript" at the end of a chat. The mail carries the
 * public messages only (what the visitor saw), never an internal one.
 */
import { returns, type CommandMap } from '../contract';
import { transcriptSendPayload, type TranscriptQueued } from '../schemas/transcripts';

export const visitorCommands = {
  /**
   * Mails the transcript of the visitor's own ended chat (`not_found` for any other; `conflict`
   * while it is open). Rate-limited per visitor and per recipient address.
   */
  'transcript:send': { payload: transcriptSendPayload, result: returns<TranscriptQueued>(), role: 'visitor' },
} satisfies CommandMap;
