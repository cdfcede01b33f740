import type { AuthorType, ConversationStatus } from './schemas/chats';
import type { VisitorState } from './schemas/visitors';

/** What a visitor's colour state depends on: their latest conversation, and whether they chatted before. */
export interface VisitorStateInput {
  /** Status of the visitor's latest conversation (null: none known). */
  status: ConversationStatus | null;
  /** Who wrote the latest non-system message of that conversation. */
  lastAuthor: AuthorType | null;
  /** The visitor has had a chat (any closed one counts; the latest closed one too). */
  hasChattedBefore: boolean;
}

/**
 * The colour state (P3), one rule for the server's visitor rows and the extension's grid:
 * red while the chat waits to be accepted, yellow while the visitor waits for the operator,
 * green while the operator waits for the visitor, blue for someone who chatted before, gray
 * otherwise. The extension derives it from `chat:updated`, so the server doesn't send a
 * `visitor:updated` per message (#3: per-message fan-out).
 */
export function visitorState({ status, lastAuthor, hasChattedBefore }: VisitorStateInput): VisitorState {
  if (status === 'waiting') return 'waiting';
  if (status === 'active') return lastAuthor === 'operator' ? 'replied' : 'needs_reply';
  return hasChattedBefore || status === 'closed' ? 'chatted' : 'browsing';
}
