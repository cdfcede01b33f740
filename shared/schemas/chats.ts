import { z } from 'zod';
import { atMost, clientId, seq, text, uuid } from './common';
import type { FileView } from './files';
import { MAX_EMAIL_LENGTH, MAX_MESSAGE_LENGTH, MAX_NAME_LENGTH } from '../protocol/limits';

export const CONVERSATION_STATUSES = ['waiting', 'active', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const AUTHOR_TYPES = ['visitor', 'operator', 'system'] as const;
export type AuthorType = (typeof AUTHOR_TYPES)[number];

/** Who may read a message (#5): both sides, or operators only (whispers and notes, #7). */
export const MESSAGE_VISIBILITIES = ['public', 'internal'] as const;
export type MessageVisibility = (typeof MESSAGE_VISIBILITIES)[number];

export { MAX_MESSAGE_LENGTH };

const body = text('Write a message').trim().min(1, 'Write a message').max(MAX_MESSAGE_LENGTH, atMost(MAX_MESSAGE_LENGTH));

/** Widget pre-chat form → a new conversation whose first message is the question. */
export const chatStartPayload = z.object({
  clientId,
  name: text('Enter your name').trim().min(1, 'Enter your name').max(MAX_NAME_LENGTH, atMost(MAX_NAME_LENGTH)),
  email: text('Enter a valid email')
    .trim()
    .pipe(z.email('Enter a valid email').max(MAX_EMAIL_LENGTH, atMost(MAX_EMAIL_LENGTH))),
  question: body,
  /** A1 (#6): the department the visitor chose (one of the account's, else `not_found`); absent = the whole account. */
  departmentId: uuid.optional(),
});
export type ChatStartPayload = z.infer<typeof chatStartPayload>;

/** P4: an operator starts a chat with a browsing visitor; `body` is their first message. */
export const chatOpenPayload = z.object({ visitorId: uuid, clientId, body });
export type ChatOpenPayload = z.infer<typeof chatOpenPayload>;

/**
 * A message: text, or a file (#5, P7: `fileId` of a file uploaded into this conversation with
 * POST /api/files) with an optional caption as its body.
 */
const messageFields = { conversationId: uuid, clientId, body: text().trim().max(MAX_MESSAGE_LENGTH), fileId: uuid.optional() };
const hasContent = (m: { body: string; fileId?: string | undefined }) => m.body !== '' || m.fileId !== undefined;
const emptyMessage = { path: ['body'], message: 'empty message' };
export const messageSendPayload = z.object(messageFields).refine(hasContent, emptyMessage);
export type MessageSendPayload = z.infer<typeof messageSendPayload>;

/**
 * The panel's message: the same, or with `internal` a whisper (W1): operators only, never the
 * visitor's. Into a chat not theirs an operator may whisper only with the right to monitor it
 * (W4). A whisper is text (the server refuses a file: its upload belongs to the visitor's side too).
 */
export const operatorMessageSendPayload = z.object({ ...messageFields, internal: z.boolean().optional() }).refine(hasContent, emptyMessage);
export type OperatorMessageSendPayload = z.infer<typeof operatorMessageSendPayload>;

/** Catch-up: every message of the conversation with seq > afterSeq, in order. */
export const chatSyncPayload = z.object({ conversationId: uuid, afterSeq: seq });
export type ChatSyncPayload = z.infer<typeof chatSyncPayload>;

export const conversationRef = z.object({ conversationId: uuid });
export type ConversationRef = z.infer<typeof conversationRef>;

export const typingPayload = z.object({ conversationId: uuid, typing: z.boolean() });
export type TypingPayload = z.infer<typeof typingPayload>;

/** The panel's typing: `internal` while writing a whisper (W1), which the visitor is never told of. */
export const operatorTypingPayload = z.object({ conversationId: uuid, typing: z.boolean(), internal: z.boolean().optional() });
export type OperatorTypingPayload = z.infer<typeof operatorTypingPayload>;

export interface MessageView {
  conversationId: string;
  /** Position in the conversation, 1-based, gap-free for a reader that sorts by it. */
  seq: number;
  clientId: string;
  author: AuthorType;
  /** Display name of the author (visitor's name, operator's name, or empty for system). */
  authorName: string;
  body: string;
  createdAt: string;
  /** Present only on internal messages (operators only, #5); absent means public. */
  visibility?: 'internal';
  /** W2: the operator who wrote an internal message (a whisper, a note): operators only, like the message itself. */
  operatorId?: string;
  /** The file it carries (#5, P7), with a freshly signed URL; `body` is then its caption, maybe empty. Absent once the file is gone. */
  file?: FileView;
}

export interface ConversationView {
  id: string;
  visitorId: string;
  status: ConversationStatus;
  visitorName: string;
  visitorEmail: string;
  operatorId: string | null;
  operatorName: string | null;
  createdAt: string;
  acceptedAt: string | null;
  closedAt: string | null;
  /** Highest seq stored; a client compares it with what it has to know it missed something. */
  lastSeq: number;
  lastAuthor: AuthorType | null;
  lastMessageAt: string | null;
  /** First line of the last message, for lists. */
  preview: string;
  /** A1 (#6): the department it is routed to; null = the whole account. */
  departmentId: string | null;
  /** Since when it waits (created, or transferred back to a queue). */
  waitingSince: string;
  /** 0; 1 once its department was alerted again; 2 once every operator of the account was (#6). */
  escalationLevel: number;
  /** P3 blue: the visitor had chatted before this conversation. */
  returningVisitor: boolean;
  /** P3 blue: the chat began with an operator's invitation (P4 sets it; absent means not invited). */
  invited?: boolean;
  /** P5: the seq up to which the assigned operator has read (their visitor messages after it are unread). */
  operatorReadSeq: number;
  /** P5: the seq up to which the visitor's widget has shown the messages. */
  visitorReadSeq: number;
}

/** A conversation with its messages (a page of them, oldest first). */
export interface ConversationWithMessages {
  conversation: ConversationView;
  messages: MessageView[];
}

/**
 * A conversation as its visitor sees it (#4): only what the widget uses. No operator id, no
 * visitor id, no contact details, no preview: visitors get nothing of the operators' side.
 */
export interface VisitorConversationView {
  id: string;
  status: ConversationStatus;
  /** Display name of the operator who accepted the chat ("Olivia is here"). */
  operatorName: string | null;
  /**
   * While the chat is active: whether that operator has a panel connected right now (#5). When
   * their last one goes (signed out, browser closed) the widget says they have left, and when one
   * comes back, that they are here. Always false while waiting and once closed.
   */
  operatorPresent: boolean;
  /** Highest seq stored: more than the widget holds means it missed messages. */
  lastSeq: number;
  /** A1 (#6): its department, whose operators online the widget counts (null: the whole account's). */
  departmentId: string | null;
  /**
   * P5 "Seen": the position of the visitor's latest own message that the assigned operator has
   * read (0: none yet). Their messages at or before it are seen.
   */
  seen: number;
}

/** The visitor's conversation with its messages (a page of them, oldest first). */
export interface VisitorConversationWithMessages {
  conversation: VisitorConversationView;
  messages: MessageView[];
}

/** W4: an operator watching a chat that is not theirs (a monitor), as the chat's operator sees them. */
export interface WatcherView {
  operatorId: string;
  name: string;
}

/** W4: a chat in the monitor list: the conversation and who is watching it now. */
export interface MonitoredChatView {
  conversation: ConversationView;
  watchers: WatcherView[];
}

/** W4: a chat opened to monitor it: its first page of messages (whispers and notes too) and its watchers. */
export interface WatchedChatView extends ConversationWithMessages {
  watchers: WatcherView[];
}
