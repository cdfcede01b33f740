import { z } from 'zod';
import { seq, uuid } from './common';

/**
 * P5 read state: "I have shown the messages of this conversation up to `seq`". From the panel,
 * the internal seq of the chat's last message on screen; from the widget, the position of the
 * last message it displayed, as the visitor numbers them.
 */
export const readMarkPayload = z.object({ conversationId: uuid, seq });
export type ReadMarkPayload = z.infer<typeof readMarkPayload>;

/** Where each side has read a conversation up to (operators' view). */
export interface ReadView {
  conversationId: string;
  /** The assigned operator's read position (internal seq). */
  operatorReadSeq: number;
  /** The visitor's read position (internal seq). */
  visitorReadSeq: number;
}

/** To the visitor: the assigned operator has read their messages up to this position (their own numbering). */
export interface SeenView {
  conversationId: string;
  seen: number;
}
