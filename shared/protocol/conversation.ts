import { previewOfMessage } from '../preview';
import type { AuthorType, MessageView } from '../schemas/chats';

/**
 * The lastAuthor rule (#5): system notes ("Olivia joined the chat", "… closed the chat") don't
 * change whom a chat waits for. The visitors grid's colour (shared/visitorState.ts) and the chat
 * list's read `lastAuthor` as the author of the latest visitor or operator message: an operator
 * who replied stays "replied" (green) when a note follows. So a system message moves `lastSeq`
 * only; `lastAuthor`, `preview` and `lastMessageAt` stay those of the latest non-system message,
 * as the server's `append_messages` (server/drizzle) stores them.
 */
export function movesLastAuthor(author: AuthorType): boolean {
  return author !== 'system';
}

/** What a conversation says about its latest message (ConversationView's summary fields). */
export interface LastMessageSummary {
  lastSeq: number;
  lastAuthor: AuthorType | null;
  lastMessageAt: string | null;
  preview: string;
}

/**
 * The conversation `c` once stored message `m` is known: what a client shows before the server's
 * own `chat:updated` (which it may never get). Returns `c` itself for a message that isn't newer.
 */
export function withLastMessage<C extends LastMessageSummary>(c: C, m: MessageView): C {
  if (m.seq <= c.lastSeq) return c;
  // W1: a whisper (an internal message) doesn't answer the visitor: the preview and who spoke last stay (as on the server).
  if (!movesLastAuthor(m.author) || m.visibility === 'internal') return { ...c, lastSeq: m.seq };
  return { ...c, lastSeq: m.seq, lastAuthor: m.author, lastMessageAt: m.createdAt, preview: previewOfMessage(m) };
}
