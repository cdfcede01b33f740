/**
 * The chats domain in the background (P5): knows the account's open chats, so it keeps the
 * toolbar badge at the number waiting plus my chats with unread messages (also while no panel is
 * open), raises a notification for a new chat and for a visitor's message in one of mine that no
 * visible panel shows, plays a sound for a new waiting chat and for a visitor's message in a chat
 * no focused panel shows, and asks a panel to show a chat whose notification was clicked.
 */
import type { ConversationView, MessageView } from '@@/shared/schemas/chats';
import { withLastMessage } from '@@/shared/protocol';
import { badgeCounts } from '@/utils/attention';
import type { ConnectionStatus } from '@/utils/protocol';
import type { SoundName } from '@/utils/sounds';
import type { BackgroundDomain, DomainContext, PanelHandle } from './hub';

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

export function createChatsDomain(context: DomainContext, alerts: ChatAlerts) {
  /** Open conversations (for the badge count and "is this chat mine"). */
  const conversations = new Map<string, ConversationView>();
  /** Which chat each panel shows, whether it is visible and focused: no notification (or sound) for what the operator is looking at. */
  const focus = new WeakMap<PanelHandle, { conversationId: string | null; visible: boolean; focused: boolean }>();
  /** P5: the seq of the visitor's last message in each chat, as seen live (the unread rule falls back on lastAuthor). */
  const lastVisitorSeq = new Map<string, number>();
  /** A notification was clicked before any panel was there: tell the next panel that connects. */
  let pendingOpenChat: string | null = null;

  function waitingCount() {
    let n = 0;
    for (const c of conversations.values()) if (c.status === 'waiting') n++;
    return n;
  }

  function counts() {
    return badgeCounts(conversations.values(), context.session()?.operator.id, (id) => lastVisitorSeq.get(id));
  }

  let shown = '';
  function updateBadge() {
    const { waiting, unread } = context.session() ? counts() : { waiting: 0, unread: 0 };
    // Every visitor message asks; the browser is told only when something changed.
    const key = `${waiting}/${unread}/${context.status()}`;
    if (key === shown) return;
    shown = key;
    alerts.setWaitingCount(waiting, context.status(), unread);
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
        if (isNew && c.status === 'waiting') {
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
    async onConnected(connection) {
      const res = await connection.request('chat:list', {});
      if (!res.ok || !connection.current()) return;
      conversations.clear();
      lastVisitorSeq.clear();
      for (const c of res.data as ConversationView[]) if (c.status !== 'closed') conversations.set(c.id, c);
      updateBadge();
    },
    onSessionEnd() {
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
    /** P5: what the badge shows: waiting chats and my chats with unread messages. */
    badgeCounts: counts,
  };
}
