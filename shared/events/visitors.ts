/**
 * Visitors (P1, P2, P4, P6): tracking, the live grid, navigation history, invitations to chat,
 * the widget's session. Commands are `noun:verb`; broadcasts are their past tense.
 */
import { z } from 'zod';
import { returns, type CommandMap } from '../contract';
import type { VisitorConversationWithMessages } from '../schemas/chats';
import type { VisitorAvailability } from '../schemas/routing';
import {
  invitationRef,
  pageViewPayload,
  visitorInvitePayload,
  visitorRef,
  type VisitorInvitationView,
  type PageVisitView,
  type VisitorView,
  type VisitorsChangedView,
} from '../schemas/visitors';

export const visitorCommands = {
  'page:view': { payload: pageViewPayload, result: returns<null>(), role: 'visitor' },
  /** P4: "No thanks": remembered for the visit (rules don't invite again; an operator still may). */
  'invitation:dismiss': { payload: invitationRef, result: returns<null>(), role: 'visitor' },
} satisfies CommandMap;

export const operatorCommands = {
  'visitor:list': { payload: z.object({}), result: returns<VisitorView[]>(), role: 'operator' },
  /**
   * P6: the visitor's navigation history, newest first (at most PAGE_HISTORY_LIMIT); the socket
   * then gets their next pages live (`visitor:paged`) until `visitor:unwatch`.
   */
  'visitor:history': { payload: visitorRef, result: returns<PageVisitView[]>(), role: 'operator' },
  'visitor:unwatch': { payload: visitorRef, result: returns<null>(), role: 'operator' },
  /** P4: invites a visitor who is on the site to chat; their widget opens with the message. */
  'visitor:invite': { payload: visitorInvitePayload, result: returns<VisitorInvitationView>(), role: 'operator' },
} satisfies CommandMap;

/** Socket handshake `auth` of the widget. */
export interface VisitorAuth {
  accountId: string;
  /** Token from an earlier `session:started`; absent or invalid → the server issues a new visitor. */
  visitorToken?: string;
  /**
   * The open chat the widget holds and the highest seq it has of it: `session:started` then carries
   * only the messages after it (a reconnect after a restart sends nothing twice, #4).
   */
  chat?: { id: string; lastSeq: number };
}

/** First thing the server sends a widget after the handshake, with whether operators are available. */
export interface VisitorSession extends VisitorAvailability {
  /** The visitor's own id (their token carries it too). */
  visitorId: string;
  /**
   * Signed, server-issued, expires (#4); the widget stores it and sends it back in `VisitorAuth`.
   * Every session:started brings a fresh one.
   */
  visitorToken: string;
  accountName: string;
  /**
   * The visitor's open conversation, if there is one, with its messages: all of them (a first
   * page; continue with `chat:sync`), or those after `VisitorAuth.chat.lastSeq` if the widget
   * named this conversation.
   */
  chat: VisitorConversationWithMessages | null;
  /** P4: an invitation to chat waiting for the visitor's answer (this visit), shown in every tab. */
  invitation: VisitorInvitationView | null;
}

export interface VisitorBroadcasts {
  'session:started': VisitorSession;
  /** Whether someone is available changed (in all, or in a department, #6); not sent when only how many did (#4). */
  'availability:updated': VisitorAvailability;
  /** P4: an operator (or a rule) invites the visitor to chat; every tab shows it until answered. */
  'invitation:received': VisitorInvitationView;
  /** P4: the invitation was answered (in some tab) or replaced: tabs still showing it hide it. */
  'invitation:closed': { invitationId: string };
}

export interface OperatorBroadcasts {
  /**
   * The account's grid changed (#4): rows (connected, left, page view, pre-chat form, invitation;
   * not sent per message) and forgotten visitors, gathered on each node and sent together at
   * most every 100 ms (server/src/features/visitors/activity.ts), one entry per visitor. After a restart thousands of visitors
   * reconnect at once: one frame per account, not one event per visitor to every operator.
   */
  'visitors:updated': VisitorsChangedView;
  /** P6: a page the visitor opened, to the sockets watching their history (`visitor:history`). */
  'visitor:paged': { visitorId: string; page: PageVisitView };
}
