/**
 * Badge and desktop notifications (SPEC P5): what the operator sees while the side panel is closed.
 * Chrome MV3 has `browser.action`; Firefox MV2 has `browser.browserAction` with the same badge API.
 */
import { browser, type Browser } from '#imports';
import type { ConversationView, MessageView } from '@@/shared/schemas/chats';
import type { ConnectionStatus } from '@/utils/protocol';
import { strings } from '@/utils/strings';
import type { HubAlerts } from './hub';

export const BADGE_WAITING_COLOUR = '#dc2626';
export const BADGE_OFFLINE_COLOUR = '#6b7280';

/** Notification ids carry the conversation, so a click knows which chat to open. */
export const chatNotificationId = (conversationId: string) => `chat:${conversationId}`;
export const messageNotificationId = (conversationId: string) => `msg:${conversationId}`;
export function conversationOfNotification(id: string): string | null {
  const m = /^(?:chat|msg):(.+)$/.exec(id);
  return m?.[1] ?? null;
}

type BadgeApi = Pick<typeof browser.action, 'setBadgeText' | 'setBadgeBackgroundColor' | 'setTitle'>;

function badgeApi(): BadgeApi | undefined {
  const b = browser as unknown as { action?: BadgeApi; browserAction?: BadgeApi };
  return b.action ?? b.browserAction;
}

function preview(text: string, max = 120) {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

type NotificationOptions = Browser.notifications.NotificationCreateOptions;

/** Firefox rejects notification options it does not know (priority, silent, requireInteraction). */
function chromeOnly<T extends object>(options: T): Partial<T> {
  return import.meta.env.FIREFOX ? {} : options;
}

export function createBrowserAlerts(): HubAlerts {
  const iconUrl = browser.runtime.getURL('/icon/128.png');
  const ignore = () => {};

  return {
    setWaitingCount(count: number, status: ConnectionStatus) {
      const api = badgeApi();
      if (!api) return;
      // Waiting chats win over the offline mark: the count is what asks for action.
      const text = count > 0 ? String(count) : '';
      void api.setBadgeText({ text })?.catch?.(ignore);
      void api.setBadgeBackgroundColor({ color: count > 0 || status !== 'offline' ? BADGE_WAITING_COLOUR : BADGE_OFFLINE_COLOUR })?.catch?.(ignore);
      void api.setTitle({ title: strings.badgeTitle(count) })?.catch?.(ignore);
    },
    newChat(c: ConversationView) {
      void browser.notifications
        .create(chatNotificationId(c.id), {
          type: 'basic' as const,
          iconUrl,
          title: strings.notifyNewChatTitle(c.visitorName || strings.visitorFallbackName),
          message: strings.notifyNewChatBody(preview(c.preview)),
          ...chromeOnly({ priority: 2, requireInteraction: true }),
        } as NotificationOptions)
        .catch(ignore);
    },
    newMessage(m: MessageView, c: ConversationView | undefined) {
      // Quiet: a new message in an accepted chat is less urgent than a visitor waiting for anyone.
      void browser.notifications
        .create(messageNotificationId(m.conversationId), {
          type: 'basic' as const,
          iconUrl,
          title: strings.notifyMessageTitle(m.authorName || c?.visitorName || strings.visitorFallbackName),
          message: preview(m.body),
          ...chromeOnly({ priority: 0, silent: true }),
        } as NotificationOptions)
        .catch(ignore);
    },
    clearChat(conversationId: string) {
      void browser.notifications.clear(chatNotificationId(conversationId)).catch(ignore);
      void browser.notifications.clear(messageNotificationId(conversationId)).catch(ignore);
    },
  };
}
