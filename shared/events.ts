/**
 * The Socket.IO contract, declared once and imported by server, widget and extension.
 * Two namespaces: `/visitor` (the widget) and `/operator` (the extension).
 * Commands are `noun:verb` and always acknowledged with an `Ack`; broadcasts are their
 * past-tense pair (`message:send` → `message:sent`). Payload schemas live in `./schemas`.
 */
import type { Ack } from './errors';
import type { PageViewPayload, VisitorView } from './schemas/visitors';
import type {
  ChatStartPayload,
  ChatSyncPayload,
  ConversationRef,
  ConversationView,
  ConversationWithMessages,
  MessageSendPayload,
  MessageView,
  TypingPayload,
  VisitorConversationView,
  VisitorConversationWithMessages,
} from './schemas/chats';

/** A command: a validated payload and an acknowledgement carrying the result or an error. */
export type Command<P, R> = (payload: P, ack: (res: Ack<R>) => void) => void;
/** Commands without arguments still take an (empty) object, so every handler has one shape. */
export type Empty = Record<string, never>;

export const VISITOR_NAMESPACE = '/visitor';
export const OPERATOR_NAMESPACE = '/operator';

// ── Widget ───────────────────────────────────────────────────────────────────────────────

/** Socket handshake `auth` of the widget. */
export interface VisitorAuth {
  accountId: string;
  /** Token from an earlier `session:ready`; absent or invalid → the server issues a new visitor. */
  visitorToken?: string;
  /**
   * The open chat the widget holds and the highest seq it has of it: `session:ready` then carries
   * only the messages after it (a reconnect after a restart sends nothing twice, #4).
   */
  chat?: { id: string; lastSeq: number };
}

/** First thing the server sends a widget after the handshake. */
export interface VisitorSession {
  /** The visitor's own id (their token carries it too). */
  visitorId: string;
  /**
   * Signed, server-issued, expires (#4); the widget stores it and sends it back in `VisitorAuth`.
   * Every session:ready brings a fresh one.
   */
  visitorToken: string;
  accountName: string;
  /** How many operators of the account are online right now (0 → offer a ticket instead). */
  operatorsOnline: number;
  /**
   * The visitor's open conversation, if there is one, with its messages: all of them (a first
   * page; continue with `chat:sync`), or those after `VisitorAuth.chat.lastSeq` if the widget
   * named this conversation.
   */
  chat: VisitorConversationWithMessages | null;
}

export interface TypingView {
  conversationId: string;
  author: 'visitor' | 'operator';
  name: string;
  typing: boolean;
}

export interface VisitorClientToServer {
  'page:view': Command<PageViewPayload, null>;
  'chat:start': Command<ChatStartPayload, VisitorConversationWithMessages>;
  'message:send': Command<MessageSendPayload, MessageView>;
  'chat:sync': Command<ChatSyncPayload, MessageView[]>;
  'chat:close': Command<ConversationRef, VisitorConversationView>;
  'typing:set': Command<TypingPayload, null>;
}

/** Everything a widget receives: visitor views only, never the operators' ConversationView (#4). */
export interface VisitorServerToClient {
  'session:ready': (session: VisitorSession) => void;
  'message:sent': (message: MessageView) => void;
  'chat:updated': (conversation: VisitorConversationView) => void;
  'typing:updated': (typing: TypingView) => void;
  'operators:availability': (availability: { online: number }) => void;
}

// ── Operator panel ───────────────────────────────────────────────────────────────────────

/** Socket handshake `auth` of the extension: the token from `POST /api/auth/login`. */
export interface OperatorAuth {
  token: string;
}

export interface OperatorClientToServer {
  'visitor:list': Command<Empty, VisitorView[]>;
  /** Open (waiting and active) conversations of the account. */
  'chat:list': Command<Empty, ConversationView[]>;
  /** One conversation with its whole history. */
  'chat:get': Command<ConversationRef, ConversationWithMessages>;
  'chat:accept': Command<ConversationRef, ConversationView>;
  'chat:close': Command<ConversationRef, ConversationView>;
  'message:send': Command<MessageSendPayload, MessageView>;
  'chat:sync': Command<ChatSyncPayload, MessageView[]>;
  'typing:set': Command<TypingPayload, null>;
}

export interface OperatorServerToClient {
  /** A visitor's row changed (connected, left, page view, pre-chat form); not sent per message. */
  'visitor:updated': (visitor: VisitorView) => void;
  /** A visitor started a chat: it waits to be accepted (notify, badge). */
  'chat:requested': (conversation: ConversationView) => void;
  /**
   * Any change of a conversation: accepted, closed, new last message. For a new message it goes
   * only to the operators who don't get its `message:sent` (which says as much).
   */
  'chat:updated': (conversation: ConversationView) => void;
  /**
   * A stored message, to the conversation's followers only: its assigned operator (every socket)
   * and the sockets that opened it (`chat:get`, `chat:sync`, `chat:accept`).
   */
  'message:sent': (message: MessageView) => void;
  'typing:updated': (typing: TypingView) => void;
  /**
   * An admin forgot a visitor (#4): the row, their conversations and page views are gone. Drop
   * them from lists and close their chats.
   */
  'visitor:removed': (removed: { visitorId: string; conversationIds: string[] }) => void;
}
