import type { AuthorType, ConversationStatus } from './schemas/chats';
import type { VisitorState } from './schemas/visitors';

/** What a visitor's colour state depends on: their latest conversation, and whether they chatted before or were invited. */
export interface VisitorStateInput {
  /** Status of the visitor's latest conversation (null: none known). */
  status: ConversationStatus | null;
  /** Who wrote the latest non-system message of that conversation. */
  lastAuthor: AuthorType | null;
  /** The visitor has had a chat (any closed one counts; the latest closed one too). */
  hasChattedBefore: boolean;
  /** P4: an operator (or an invitation rule) invited them; blue like a returning visitor. */
  invited?: boolean;
}

/**
 * The colour state (P3), one rule for the server's visitor rows and the extension's grid:
 * red while the chat waits to be accepted, yellow while the visitor waits for the operator,
 * green while the operator waits for the visitor, blue for someone who chatted before or was
 * invited, gray otherwise. The extension derives it from `chat:updated`, so the server doesn't
 * send a grid row (`visitors:updated`) per message (#3: per-message fan-out). Idle depends on the clock, so
 * the panel lays it over this one ({@link withIdle}).
 */
export function visitorState({ status, lastAuthor, hasChattedBefore, invited }: VisitorStateInput): VisitorState {
  if (status === 'waiting') return 'waiting';
  if (status === 'active') return lastAuthor === 'operator' ? 'replied' : 'needs_reply';
  return hasChattedBefore || invited || status === 'closed' ? 'chatted' : 'browsing';
}

/**
 * States that turn idle when the visitor gives no input for a while: it is the visitor's turn
 * (green), or they have no chat. Red and yellow never do: someone is waiting for us, and that
 * must stay loud however long it lasts.
 */
const CAN_IDLE: ReadonlySet<VisitorState> = new Set(['replied', 'browsing', 'chatted']);

/**
 * P3 idle: `state`, or `idle` when the visitor's last input (a message, typing, a page view) is
 * `idleAfterMs` or more before `now`. The panel re-evaluates it on its one-second clock; the
 * server never sends anything for it.
 */
export function withIdle(state: VisitorState, lastInputAt: string | number | null | undefined, now: number, idleAfterMs: number): VisitorState {
  if (!CAN_IDLE.has(state) || lastInputAt == null || lastInputAt === '') return state;
  const at = typeof lastInputAt === 'number' ? lastInputAt : Date.parse(lastInputAt);
  return Number.isFinite(at) && now - at >= idleAfterMs ? 'idle' : state;
}
