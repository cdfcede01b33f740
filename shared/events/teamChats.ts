/**
 * Internal chats between operators (W2, W3, #7). Panel commands only: the widget's namespace has
 * none of these and none of these broadcasts, so an internal chat's messages have no way to a visitor.
 */
import { z } from 'zod';
import { returns, type CommandMap } from '../contract';
import {
  teamChatReadPayload,
  teamChatRef,
  teamChatRespondPayload,
  teamChatSendPayload,
  teamChatStartPayload,
  teamChatSyncPayload,
  teamChatTypePayload,
  type TeamChatView,
  type TeamChatWithMessages,
  type TeamMessageView,
  type TeamTypingView,
} from '../schemas/teamChats';

export const operatorCommands = {
  /** The caller's internal chats, latest first. */
  'teamchat:list': { payload: z.object({}), result: returns<TeamChatView[]>(), role: 'operator' },
  /** W3: the one-to-one chat with an enabled colleague of the account: the existing one, or a new one. */
  'teamchat:start': { payload: teamChatStartPayload, result: returns<TeamChatWithMessages>(), role: 'operator' },
  /**
   * W2: "Respond" on a whisper: the chat with its author, and in it (once per clientId) a message
   * quoting the whisper with a link back to the visitor chat, seen by both.
   */
  'teamchat:respond': { payload: teamChatRespondPayload, result: returns<TeamChatWithMessages>(), role: 'operator' },
  /** One chat the caller is in, with its latest page of messages; anyone else gets `not_found`. */
  'teamchat:get': { payload: teamChatRef, result: returns<TeamChatWithMessages>(), role: 'operator' },
  /** A message; a resend with the same clientId returns the stored one and tells no one again. */
  'teamchat:send': { payload: teamChatSendPayload, result: returns<TeamMessageView>(), role: 'operator' },
  /** Catch-up after a reconnect: messages after `afterSeq`, one page (the client repeats on a full page). */
  'teamchat:sync': { payload: teamChatSyncPayload, result: returns<TeamMessageView[]>(), role: 'operator' },
  /** Read up to a seq: the others see it (`teamchat:updated`), the caller's other panels clear the count. */
  'teamchat:read': { payload: teamChatReadPayload, result: returns<TeamChatView>(), role: 'operator' },
  /** Typing, relayed to the other members (not stored). */
  'teamchat:type': { payload: teamChatTypePayload, result: returns<null>(), role: 'operator' },
} satisfies CommandMap;

export interface OperatorBroadcasts {
  /** A stored message, to every socket of every member (the sender's other panels too). */
  'teamchat:sent': { chat: TeamChatView; message: TeamMessageView };
  /** A chat changed (read positions, a new chat one is in), to its members. */
  'teamchat:updated': TeamChatView;
  'teamchat:typed': TeamTypingView;
}
