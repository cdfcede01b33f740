/** Chats (P1, V1): conversations and their messages, both sides. */
import { z } from 'zod';
import { returns, type CommandMap } from '../contract';
import { invitationAcceptPayload } from '../schemas/visitors';
import {
  chatOpenPayload,
  chatStartPayload,
  chatSyncPayload,
  conversationRef,
  messageSendPayload,
  operatorMessageSendPayload,
  operatorTypingPayload,
  typingPayload,
  type ConversationView,
  type ConversationWithMessages,
  type MessageView,
  type MonitoredChatView,
  type VisitorConversationView,
  type WatchedChatView,
  type WatcherView,
  type VisitorConversationWithMessages,
} from '../schemas/chats';
import { chatTransferPayload } from '../schemas/routing';

/** The widget's commands: always on behalf of the socket's own visitor. */
export const visitorCommands = {
  'chat:start': { payload: chatStartPayload, result: returns<VisitorConversationWithMessages>(), role: 'visitor' },
  'message:send': { payload: messageSendPayload, result: returns<MessageView>(), role: 'visitor' },
  'chat:sync': { payload: chatSyncPayload, result: returns<MessageView[]>(), role: 'visitor' },
  'chat:close': { payload: conversationRef, result: returns<VisitorConversationView>(), role: 'visitor' },
  'typing:set': { payload: typingPayload, result: returns<null>(), role: 'visitor' },
  /** P4: accepting an invitation starts a chat assigned to the inviting operator, their message first. */
  'invitation:accept': { payload: invitationAcceptPayload, result: returns<VisitorConversationWithMessages>(), role: 'visitor' },
} satisfies CommandMap;

/** The panel's commands: within the operator's account. */
export const operatorCommands = {
  /** Open (waiting and active) conversations of the account. */
  'chat:list': { payload: z.object({}), result: returns<ConversationView[]>(), role: 'operator' },
  /** One conversation with its first page of messages. */
  'chat:get': { payload: conversationRef, result: returns<ConversationWithMessages>(), role: 'operator' },
  'chat:accept': { payload: conversationRef, result: returns<ConversationView>(), role: 'operator' },
  'chat:close': { payload: conversationRef, result: returns<ConversationView>(), role: 'operator' },
  /** `internal`: a whisper (W1), the assigned operator's or a monitor's (W4); never the visitor's. */
  'message:send': { payload: operatorMessageSendPayload, result: returns<MessageView>(), role: 'operator' },
  'chat:sync': { payload: chatSyncPayload, result: returns<MessageView[]>(), role: 'operator' },
  /** Only the assigned operator's typing, and never while whispering, reaches the visitor (W1). */
  'typing:set': { payload: operatorTypingPayload, result: returns<null>(), role: 'operator' },
  /**
   * P5 (#6): to an operator or a department, with an optional note only operators see (an
   * internal message); the visitor sees a line naming where it went. The chat's operator, or a
   * supervisor, may transfer an active chat; anyone a waiting one.
   */
  'chat:transfer': { payload: chatTransferPayload, result: returns<ConversationView>(), role: 'operator' },
  /**
   * P4: starts a chat with a browsing visitor from the grid: active, assigned to the caller, their
   * message first; the visitor's widget opens with it (`chat:opened`). The path of an accepted invitation.
   */
  'chat:open': { payload: chatOpenPayload, result: returns<ConversationWithMessages>(), role: 'operator' },
  /**
   * W4: the account's active chats that are not the caller's, with who watches each. Supervisors
   * and admins; operators too when the account allows it (`operatorsMayMonitor`), else `forbidden`.
   */
  'chat:monitor': { payload: z.object({}), result: returns<MonitoredChatView[]>(), role: 'operator' },
  /**
   * W4: opens a chat to monitor it: live from then on, and its operator is told who watches
   * (`chat:watchers`). The same right as `chat:monitor`; the chat's own operator just opens it.
   */
  'chat:watch': { payload: conversationRef, result: returns<WatchedChatView>(), role: 'operator' },
  /** W4: stops watching (closing the view); a panel that disconnects stops too. */
  'chat:unwatch': { payload: conversationRef, result: returns<null>(), role: 'operator' },
  /**
   * W4: a supervisor takes over an active chat: it becomes theirs without anyone accepting (a
   * transfer to themselves, P5); the former operator is told (`chat:reassigned`) and still follows
   * it; the visitor sees one line with the new name.
   */
  'chat:takeover': { payload: conversationRef, result: returns<ConversationView>(), role: 'supervisor' },
  /**
   * P5 (#6): a closed chat becomes active again, the caller's (counted in their load; their limit
   * does not refuse it); the visitor sees "<name> reopened the chat" and a widget on the site opens
   * on it (`chat:opened`). Supervisors and admins any; an operator their own or their department's
   * (`forbidden`). `chat_not_closed` if it is open; `visitor_in_chat` if the visitor is in another.
   */
  'chat:reopen': { payload: conversationRef, result: returns<ConversationView>(), role: 'operator' },
} satisfies CommandMap;

export interface TypingView {
  conversationId: string;
  author: 'visitor' | 'operator';
  name: string;
  typing: boolean;
  /** W1: writing a whisper (operators only: a visitor is never told). */
  internal?: true;
}

/** Everything a widget receives of chats: visitor views only, never the operators' ConversationView (#4). */
export interface VisitorBroadcasts {
  'message:sent': MessageView;
  /** P4: a chat an operator started with this visitor (or an invitation accepted in another tab), or P5 (#6) one reopened: the widget opens it. */
  'chat:opened': VisitorConversationWithMessages;
  'chat:updated': VisitorConversationView;
  'typing:updated': TypingView;
}

export interface OperatorBroadcasts {
  /** A visitor started a chat: it waits to be accepted (notify, badge). */
  'chat:requested': ConversationView;
  /**
   * Any change of a conversation: accepted, closed, new last message. For a new message it goes
   * only to the operators who don't get its `message:sent` (which says as much).
   */
  'chat:updated': ConversationView;
  /**
   * A stored message, to the conversation's followers only: its assigned operator (every socket)
   * and the sockets that opened it (`chat:get`, `chat:sync`, `chat:accept`).
   */
  'message:sent': MessageView;
  'typing:updated': TypingView;
  /**
   * A1 (#6): a chat waits too long. Level 1 goes to its department's operators (all of the account's
   * when it has none), level 2 to every operator of the account.
   */
  'chat:escalated': { conversation: ConversationView; level: number };
  /** A1/P5 (#6): the server gave this operator a chat (auto-assignment or a transfer): to their sockets only. */
  'chat:assigned': { conversation: ConversationView; by: 'auto' | 'transfer'; fromName: string | null };
  /** W4: who watches a chat (monitors), to its operator and its other watchers, whenever it changes. */
  'chat:watchers': { conversationId: string; watchers: WatcherView[] };
  /** W4: a supervisor took this operator's chat over: to the former operator's sockets (they keep following it). */
  'chat:reassigned': { conversation: ConversationView; byName: string };
}
