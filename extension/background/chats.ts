/**
 * The chats domain in the background (P5): knows the account's open chats, so it keeps the
 * toolbar badge at the number waiting, raises a notification for a new chat and for a visitor's
 * message in one of mine that no visible panel shows, and asks a panel to show a chat whose
 * notification was clicked.
 */
import type { ConversationView, MessageView } from '@@/shared/schemas/chats';
import { withLastMessage } from '@@/shared/protocol';
import type { ConnectionStatus } from '@/utils/protocol';
import type { BackgroundDomain, DomainContext, PanelHandle } from './hub';

/** Side effects on the browser: badge and notifications (see ./alerts.ts). */
export interface ChatAlerts {
  setWaitingCount(count: number, status: ConnectionStatus): void;
  newChat(conversation: ConversationView): void;
  newMessage(message: MessageView, conversation: ConversationView | undefined): void;
  clearChat(conversationId: string): void;
}

export function createChatsDomain(context: DomainContext, alerts: ChatAlerts) {
  /** Open conversations (for the badge count and "is this chat mine"). */
  const conversations = new Map<string, ConversationView>();
  /** Which chat each panel shows and whether it is visible: no notification for what the operator is looking at. */
  const focus = new WeakMap<PanelHandle, { conversationId: string | null; visible: boolean }>();
  /** A notification was clicked before any panel was there: tell the next panel that connects. */
  let pendingOpenChat: string | null = null;

  function waitingCount() {
    let n = 0;
    for (const c of conversations.values()) if (c.status === 'waiting') n++;
    return n;
  }

  function updateBadge() {
    alerts.setWaitingCount(context.session() ? waitingCount() : 0, context.status());
  }

  function upsert(c: ConversationView) {
    if (c.status === 'closed') conversations.delete(c.id);
    else conversations.set(c.id, c);
    if (c.status !== 'waiting') alerts.clearChat(c.id);
    updateBadge();
  }

  function isShownSomewhere(conversationId: string) {
    for (const panel of context.panels()) {
      const f = focus.get(panel);
      if (f?.visible && f.conversationId === conversationId) return true;
    }
    return false;
  }

  const domain = {
    events: {
      'chat:requested': (c) => {
        const isNew = !conversations.has(c.id);
        upsert(c);
        if (isNew && c.status === 'waiting') alerts.newChat(c);
      },
      'chat:updated': upsert,
      // #4: an admin forgot the visitor; their chats no longer wait or count.
      'visitor:removed': ({ conversationIds }) => {
        for (const id of conversationIds) {
          conversations.delete(id);
          alerts.clearChat(id);
        }
        updateBadge();
      },
      'message:sent': (m) => {
        const c = conversations.get(m.conversationId);
        if (c && m.seq > c.lastSeq) conversations.set(c.id, withLastMessage(c, m));
        const mine = c && c.status === 'active' && c.operatorId === context.session()?.operator.id;
        if (m.author === 'visitor' && mine && !isShownSomewhere(m.conversationId)) alerts.newMessage(m, c);
      },
    },
    panelMessages: {
      focus: (panel, message) => {
        focus.set(panel, { conversationId: message.conversationId, visible: message.visible });
        if (message.visible && message.conversationId) alerts.clearChat(message.conversationId);
      },
    },
    onStatus: updateBadge,
    async onConnected(connection) {
      const res = await connection.request('chat:list', {});
      if (!res.ok || !connection.current()) return;
      conversations.clear();
      for (const c of res.data as ConversationView[]) if (c.status !== 'closed') conversations.set(c.id, c);
      updateBadge();
    },
    onSessionEnd() {
      conversations.clear();
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
  };
}
