import { mailBody, type MailBody } from '../../mail/template';
import type { TranscriptMessage } from './repo';

/**
 * Most characters of chat a transcript mail carries. The mail's HTML part is at most about six
 * times its text (`"` → `&quot;`), which keeps a whole mail inside `mail.send`'s limits.
 */
export const MAX_TRANSCRIPT_CHARS = 80_000;

export interface TranscriptInput {
  accountName: string;
  visitorName: string;
  /** Public messages only, in seq order. */
  messages: readonly Omit<TranscriptMessage, 'seq'>[];
  /** More messages followed that did not fit (MAX_TRANSCRIPT_CHARS). */
  cut: boolean;
}

const DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const time = (d: Date) => d.toISOString().slice(11, 16);
/** One line: a header must never carry a line break (it would start another header). */
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The transcript as the visitor saw it (V2): each message with its time (UTC, said on every day's
 * heading), the operator's name as the widget showed it, system lines ("Olivia joined the chat")
 * as they were. Lines only: `mailBody` escapes all of it in the HTML part.
 */
export function transcriptLines(messages: TranscriptInput['messages']): string {
  const out: string[] = [];
  let day = '';
  for (const m of messages) {
    const today = DAY.format(m.createdAt);
    if (today !== day) {
      if (day) out.push('');
      out.push(`${today} (times in UTC)`);
      day = today;
    }
    // Lines after a body's first are indented under it; a file is named (its link would expire).
    const text = m.fileName ? `[file: ${m.fileName}]${m.body ? ` ${m.body}` : ''}` : m.body;
    const body = text.replace(/\r\n?/g, '\n').replace(/\n/g, '\n        ');
    const who = m.author === 'system' ? '' : `${m.authorName || (m.author === 'operator' ? 'Operator' : 'You')}: `;
    out.push(`${time(m.createdAt)}   ${who}${body}`);
  }
  return out.join('\n');
}

/** Subject, text and HTML of the transcript mail; every value is escaped in the HTML (server/src/mail/template.ts). */
export function renderTranscript(input: TranscriptInput): MailBody & { subject: string } {
  const account = oneLine(input.accountName);
  const lines = transcriptLines(input.messages);
  const cut = input.cut ? '\n\nThe rest of this chat is too long for one email.' : '';
  const body = mailBody`Hello ${input.visitorName},

here is the transcript of your chat with ${account}, as you asked.

${lines}${cut}

Thank you for chatting with us.
${account}`;
  return { subject: `Your chat with ${account}: transcript`, ...body };
}
