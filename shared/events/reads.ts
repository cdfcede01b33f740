/**
 * Read state (P5): each side tells the server how far it has shown a conversation. The assigned
 * operator's reads clear their unread counts on every panel of theirs and show the visitor "Seen"
 * under their messages; the visitor's reads are kept for operators to see.
 */
import { returns, type CommandMap } from '../contract';
import { readMarkPayload, type ReadView, type SeenView } from '../schemas/reads';

export const visitorCommands = {
  /** The widget displayed the visitor's chat up to this position (their numbering); nothing else changes. */
  'read:mark': { payload: readMarkPayload, result: returns<null>(), role: 'visitor' },
} satisfies CommandMap;

export const operatorCommands = {
  /**
   * The panel had the chat open and focused up to this seq. Only the assigned operator's reading
   * counts; anyone else's answers the read state unchanged. Positions never move back.
   */
  'read:mark': { payload: readMarkPayload, result: returns<ReadView>(), role: 'operator' },
} satisfies CommandMap;

export interface VisitorBroadcasts {
  /** The operator has read the visitor's messages up to `seen` (only ever about the visitor's own messages). */
  'read:seen': SeenView;
}

export interface OperatorBroadcasts {
  /** A read position moved: to the assigned operator's sockets and the chat's watchers. */
  'read:updated': ReadView;
}
