/**
 * The chats domain in the background (P5): knows the account's open chats, so it keeps the
 * toolbar badge at the number waiting plus my chats with unread messages (also while no panel is
 * open), raises a notification for a new chat and for a visitor's message in one of mine that no
 * visible panel shows, plays a sound for a new waiting chat and for a visitor's message in a chat
 * no focused panel shows, and asks a panel to show a chat whose notification was clicked.
 */
import type { ConversationView, MessageView } from '@@/shared/schemas/chats';
import type { OperatorAvailabilityView } from '@@/shared/schemas/routing';
import { withLastMessage } from '@@/shared/protocol';
import { badgeCounts, isWaitingChatFor } from '@/utils/attention';
import type { ConnectionStatus } from '@/utils/protocol';
import type { SoundName } from '@/utils/sounds';
import type { BackgroundDomain, Connection, DomainContext, PanelHandle } from './hub';

/** Side effects on the browser: badge and notifications (see ./alerts.ts). */
export interface ChatAlerts {
  /** The toolbar badge: chats waiting to be accepted, plus chats of mine with unread messages (P5). */
  setWaitingCount(count: number, status: ConnectionStatus, unread?: number): void;
  /** P5: an alert sound, if the operator has not switched it off. */
  sound?(name: SoundName): void;
  newChat(conversation: ConversationView): void;
  newMessage(message: MessageView, conversation: ConversationView | undefined): void;
  clearChat(conversationId: string): void;
}

/**
 * `onChange`: the open chats changed (P12: the context menu's entries follow what is mine).
 * `moreUnread`: other chats with unread messages the badge counts too (W3: internal chats).
 */
export function createChatsDomain(context: DomainContext, alerts: ChatAlerts, onChange?: () => void, moreUnread: () => number = () => 0) {
  /** Open conversations (for the badge count and "is this chat mine"). */
  const conversations = new Map<string, ConversationView>();
  /** Which chat each panel shows, whether it is visible and focused: no notification (or sound) for what the operator is looking at. */
  const focus = new WeakMap<PanelHandle, { conversationId: string | null; visible: boolean; focused: boolean }>();
  /** P5: the seq of the visitor's last message in each chat, as seen live (the unread rule falls back on lastAuthor). */
  const lastVisitorSeq = new Map<string, number>();
  /** A notification was clicked before any panel was there: tell the next panel that connects. */
  let pendingOpenChat: string | null = null;
  /** A1: my departments (from "View operators"), null until known: a waiting chat of another department neither counts nor alerts. */
  let myDepartments: string[] | null = null;
  /** The socket's connection while it is up (P12: Accept on a notification, with no panel to ask). */
  let connection: Connection | null = null;

  function isForMe(c: ConversationView) {
    const role = context.session()?.operator.role;
    return !role || isWaitingChatFor(c, { role, departmentIds: myDepartments });
  }

  function waitingCount() {
    let n = 0;
    for (const c of conversations.values()) if (c.status === 'waiting' && isForMe(c)) n++;
    return n;
  }

  function counts() {
    return badgeCounts(conversations.values(), context.session()?.operator.id, (id) => lastVisitorSeq.get(id), isForMe);
  }

  /** P12: my chats in progress (accepted, not closed). */
  function mineInProgress() {
    const me = context.session()?.operator.id;
    let n = 0;
    if (me) for (const c of conversations.values()) if (c.status === 'active' && c.operatorId === me) n++;
    return n;
  }

  let shown = '';
  function updateBadge() {
    onChange?.();
    const { waiting, unread } = context.session() ? counts() : { waiting: 0, unread: 0 };
    const allUnread = context.session() ? unread + moreUnread() : 0;
    // Every visitor message asks; the browser is told only when something changed.
    const key = `${waiting}/${allUnread}/${context.status()}`;
    if (key === shown) return;
    shown = key;
    alerts.setWaitingCount(waiting, context.status(), allUnread);
  }

  function upsert(c: ConversationView) {
    const prev = conversations.get(c.id);
    if (c.status === 'closed') {
      conversations.delete(c.id);
      lastVisitorSeq.delete(c.id);
    } else {
      // Read positions only move forward (a chat:updated may be older than a read:updated).
      conversations.set(c.id, prev ? { ...c, operatorReadSeq: Math.max(c.operatorReadSeq, prev.operatorReadSeq) } : c);
    }
    if (c.status !== 'waiting') alerts.clearChat(c.id);
    updateBadge();
  }

  function isShownSomewhere(conversationId: string, focused = false) {
    for (const panel of context.panels()) {
      const f = focus.get(panel);
      if (f?.visible && (!focused || f.focused) && f.conversationId === conversationId) return true;
    }
    return false;
  }

  const domain = {
    events: {
      'chat:requested': (c) => {
        const isNew = !conversations.has(c.id);
        upsert(c);
        if (isNew && c.status === 'waiting' && isForMe(c)) {
          alerts.newChat(c);
          alerts.sound?.('new-chat');
        }
      },
      'chat:updated': upsert,
      // #4: an admin forgot visitors (in a grid frame); their chats no longer wait or count.
      'visitors:updated': ({ removed }) => {
        if (!removed.length) return;
        for (const id of removed.flatMap((r) => r.conversationIds)) {
          conversations.delete(id);
          lastVisitorSeq.delete(id);
          alerts.clearChat(id);
        }
        updateBadge();
      },
      'message:sent': (m) => {
        const c = conversations.get(m.conversationId);
        if (c && m.seq > c.lastSeq) conversations.set(c.id, withLastMessage(c, m));
        if (m.author === 'visitor' && c) lastVisitorSeq.set(c.id, Math.max(m.seq, lastVisitorSeq.get(c.id) ?? 0));
        const mine = c && c.status === 'active' && c.operatorId === context.session()?.operator.id;
        if (m.author === 'visitor' && mine && !isShownSomewhere(m.conversationId)) alerts.newMessage(m, c);
        if (m.author === 'visitor' && mine && !isShownSomewhere(m.conversationId, true)) alerts.sound?.('new-message');
        updateBadge();
      },
      // A1: my departments changed (or my row arrived): which waiting chats are mine to see.
      'operator:updated': (o) => {
        if (o.id !== context.session()?.operator.id) return;
        myDepartments = o.departmentIds;
        updateBadge();
      },
      // P5: read on one of my panels: the badge drops the chat.
      'read:updated': (r) => {
        const c = conversations.get(r.conversationId);
        if (c && r.operatorReadSeq > c.operatorReadSeq) conversations.set(c.id, { ...c, operatorReadSeq: r.operatorReadSeq });
        updateBadge();
      },
    },
    panelMessages: {
      focus: (panel, message) => {
        focus.set(panel, { conversationId: message.conversationId, visible: message.visible, focused: message.focused ?? message.visible });
        if (message.visible && message.conversationId) alerts.clearChat(message.conversationId);
      },
    },
    onStatus: updateBadge,
    async onConnected(conn) {
      connection = conn;
      const [res, team] = await Promise.all([conn.request('chat:list', {}), conn.request('operator:list', {})]);
      if (!res.ok || !conn.current()) return;
      const operators = team.ok && Array.isArray(team.data) ? (team.data as OperatorAvailabilityView[]) : [];
      const me = operators.find((o) => o.id === context.session()?.operator.id);
      myDepartments = me ? me.departmentIds : null;
      conversations.clear();
      lastVisitorSeq.clear();
      for (const c of res.data as ConversationView[]) if (c.status !== 'closed') conversations.set(c.id, c);
      updateBadge();
    },
    onSessionEnd() {
      myDepartments = null;
      connection = null;
      conversations.clear();
      lastVisitorSeq.clear();
      updateBadge();
    },
    onPanelAdded(panel) {
      if (!pendingOpenChat) return;
      panel.post({ type: 'open-chat', conversationId: pendingOpenChat });
      pendingOpenChat = null;
    },
  } satisfies BackgroundDomain;

  return {
    ...domain,
    /** A notification was clicked: panels that are open show the chat, else the next one to open does. */
    openChat(conversationId: string) {
      if ([...context.panels()].length === 0) pendingOpenChat = conversationId;
      else context.broadcast({ type: 'open-chat', conversationId });
    },
    waitingCount,
    mineInProgress,
    isShownSomewhere,
    updateBadge,
    /** P12: accepts a chat from the background (a notification's Accept button); false if it could not. */
    async accept(conversationId: string): Promise<boolean> {
      const c = connection;
      if (!c?.current()) return false;
      const res = await c.request('chat:accept', { conversationId });
      return res.ok;
    },
    /** P5: what the badge shows: waiting chats and my chats with unread messages. */
    badgeCounts: counts,
  };
}
