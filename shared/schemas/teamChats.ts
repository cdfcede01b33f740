/**
 * Internal chats between operators (W2, W3, #7): payloads and views. Operators only: nothing here
 * is ever sent on the visitor namespace.
 */
import { z } from 'zod';
import { atMost, clientId, seq, text, uuid } from './common';
import { MAX_MESSAGE_LENGTH } from '../protocol/limits';

const body = text('Write a message').trim().min(1, 'Write a message').max(MAX_MESSAGE_LENGTH, atMost(MAX_MESSAGE_LENGTH));

/** W3: opens the one-to-one chat with a colleague of the account (the existing one if there is one). */
export const teamChatStartPayload = z.object({ operatorId: uuid });
export type TeamChatStartPayload = z.infer<typeof teamChatStartPayload>;

/**
 * W2: "Respond" on the whisper `seq` of visitor chat `conversationId`: opens the chat with its
 * author and posts (once per clientId) a message quoting it, with a link back to the visitor chat.
 */
export const teamChatRespondPayload = z.object({ conversationId: uuid, seq, clientId });
export type TeamChatRespondPayload = z.infer<typeof teamChatRespondPayload>;

export const teamChatRef = z.object({ teamChatId: uuid });
export type TeamChatRef = z.infer<typeof teamChatRef>;

export const teamChatSendPayload = z.object({ teamChatId: uuid, clientId, body });
export type TeamChatSendPayload = z.infer<typeof teamChatSendPayload>;

/** Catch-up: every message with seq > afterSeq, in order, one page. */
export const teamChatSyncPayload = z.object({ teamChatId: uuid, afterSeq: seq });
export type TeamChatSyncPayload = z.infer<typeof teamChatSyncPayload>;

/** Read up to `seq` (clamped to what exists; positions only move forward). */
export const teamChatReadPayload = z.object({ teamChatId: uuid, seq });
export type TeamChatReadPayload = z.infer<typeof teamChatReadPayload>;

export const teamChatTypePayload = z.object({ teamChatId: uuid, typing: z.boolean() });
export type TeamChatTypePayload = z.infer<typeof teamChatTypePayload>;

/** W2: the whisper a message responds to, and the visitor chat it was written in (the link back). */
export interface WhisperRef {
  conversationId: string;
  /** The whisper's seq in that chat. */
  seq: number;
  visitorName: string;
  /** Who whispered. */
  authorName: string;
  /** The whisper's text, quoted (cut to 500 characters). */
  quote: string;
}

export interface TeamChatMemberView {
  operatorId: string;
  name: string;
  /** Up to where they have read: "Seen" for the others. */
  readSeq: number;
}

export interface TeamChatView {
  id: string;
  /** Everyone in it, the viewer included, by name. */
  members: TeamChatMemberView[];
  lastSeq: number;
  lastMessageAt: string | null;
  preview: string;
  createdAt: string;
}

export interface TeamMessageView {
  teamChatId: string;
  seq: number;
  clientId: string;
  /** Null once the author's account is deleted (their name stays). */
  operatorId: string | null;
  authorName: string;
  body: string;
  ref: WhisperRef | null;
  createdAt: string;
}

export interface TeamChatWithMessages {
  chat: TeamChatView;
  messages: TeamMessageView[];
}

export interface TeamTypingView {
  teamChatId: string;
  operatorId: string;
  name: string;
  typing: boolean;
}
