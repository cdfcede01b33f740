/**
 * Badge and desktop notifications (P5): what the operator sees while the side panel is closed.
 * Chrome MV3 has `browser.action`; Firefox MV2 has `browser.browserAction` with the same badge API.
 */
import { browser, type Browser } from '#imports';
import type { ConversationView, MessageView } from '@@/shared/schemas/chats';
import { acceptFromNotificationItem, notificationButtons } from '@/utils/notifications';
import type { ConnectionStatus } from '@/utils/protocol';
import { strings } from '@/strings';
import { previewOf, previewOfMessage } from '@@/shared/preview';
import type { ChatAlerts } from './chats';
import type { TeamChatAlerts } from './teamChats';
import type { TeamMessageView } from '@@/shared/schemas/teamChats';
import { createSoundPlayer, type SoundPlayer } from './sounds';

export const BADGE_WAITING_COLOUR = '#dc2626';
/** P5: only unread messages (nobody waiting): amber, dark enough for the white count. */
export const BADGE_UNREAD_COLOUR = '#b45309';
export const BADGE_OFFLINE_COLOUR = '#6b7280';

/** Notification ids carry the conversation, so a click knows which chat to open. */
export const chatNotificationId = (conversationId: string) => `chat:${conversationId}`;
export const messageNotificationId = (conversationId: string) => `msg:${conversationId}`;
/** The one notification that sums up new chats arriving close together (#4). */
export const NEW_CHATS_NOTIFICATION_ID = 'chats:new';
/**
 * #4: at most one new-chat notification this often. A visitor starting and closing chats in a
 * loop raised 164 desktop notifications in 5 s; now the first chat shows at once and the ones
 * that follow within the interval are summed up in one notification ("3 new chats") at its end.
 */
export const NEW_CHAT_NOTIFY_INTERVAL_MS = 5_000;

function conversationOfId(id: string): string | null {
  const m = /^(?:chat|msg):(.+)$/.exec(id);
  return m?.[1] ?? null;
}

type BadgeApi = Pick<typeof browser.action, 'setBadgeText' | 'setBadgeBackgroundColor' | 'setTitle'>;

function badgeApi(): BadgeApi | undefined {
  const b = browser as unknown as { action?: BadgeApi; browserAction?: BadgeApi };
  return b.action ?? b.browserAction;
}

type NotificationOptions = Browser.notifications.NotificationCreateOptions;

/** Firefox rejects notification options it does not know (priority, silent, requireInteraction). */
function chromeOnly<T extends object>(options: T): Partial<T> {
  return import.meta.env.FIREFOX ? {} : options;
}

/** The alerts, plus what the background needs to answer a click on one of their notifications. */
export interface BrowserAlerts extends ChatAlerts, TeamChatAlerts {
  /** The chat a click on notification `id` should open (the summary: its longest-waiting chat). */
  conversationOf(notificationId: string): string | null;
  /** P12: the chat whose Accept button this is (a new chat's notification, its first button), else null. */
  acceptOf(notificationId: string, buttonIndex: number): string | null;
}

/**
 * Badge and notifications. One notification per conversation at a time (its id is the
 * conversation's, so a newer one replaces it); new chats are coalesced (see
 * {@link NEW_CHAT_NOTIFY_INTERVAL_MS}).
 */
export function createBrowserAlerts(sounds: SoundPlayer = createSoundPlayer()): BrowserAlerts {
  const iconUrl = browser.runtime.getURL('/icon/128.png');
  const ignore = () => {};
  let lastNewChatShownAt = -Infinity;
  /** New chats waiting for the end of the interval, oldest first. */
  const held = new Map<string, ConversationView>();
  /** Chats the summary notification stands for, oldest first. */
  const summed = new Map<string, ConversationView>();
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** P12: the operator's choice of an Accept button, read now and followed. */
  let acceptButton = false;
  if (notificationButtons) {
    let changed = false;
    // A change seen before the first read has answered is newer than what that read returns.
    void acceptFromNotificationItem.getValue().then((on) => !changed && (acceptButton = on));
    acceptFromNotificationItem.watch((on) => {
      changed = true;
      acceptButton = on ?? false;
    });
  }

  function showChat(c: ConversationView) {
    void browser.notifications
      .create(chatNotificationId(c.id), {
        type: 'basic' as const,
        iconUrl,
        title: strings.chats.notify.newChatTitle(c.visitorName || strings.visitors.defaultName),
        message: strings.chats.notify.newChatBody(previewOf(c.preview)),
        ...chromeOnly({ priority: 2, requireInteraction: true }),
        // P12: only ever true where notifications have buttons (utils/notifications.ts).
        ...(acceptButton && { buttons: [{ title: strings.chats.accept }] }),
      } as NotificationOptions)
      .catch(ignore);
  }

  function summaryOptions() {
    const names = [...summed.values()].map((c) => c.visitorName || strings.visitors.defaultName);
    return { title: strings.chats.notify.newChatsTitle(summed.size), message: strings.chats.notify.newChatsBody(names) };
  }

  function showSummary() {
    void browser.notifications
      .create(NEW_CHATS_NOTIFICATION_ID, {
        type: 'basic' as const,
        iconUrl,
        ...summaryOptions(),
        ...chromeOnly({ priority: 2, requireInteraction: true }),
      } as NotificationOptions)
      .catch(ignore);
  }

  /** The end of an interval: the chats held during it, as one notification (or none if all left). */
  function flush() {
    flushTimer = null;
    if (held.size === 0) return;
    lastNewChatShownAt = Date.now();
    if (held.size === 1 && summed.size === 0) {
      showChat([...held.values()][0]!);
    } else {
      for (const [id, c] of held) summed.set(id, c);
      showSummary();
    }
    held.clear();
  }

  return {
    setWaitingCount(count: number, status: ConnectionStatus, unread = 0) {
      const api = badgeApi();
      if (!api) return;
      // P5: chats waiting plus my chats with unread messages. What asks for action wins over the offline mark.
      const total = count + unread;
      const text = total > 0 ? String(total) : '';
      const color = count > 0 ? BADGE_WAITING_COLOUR : unread > 0 ? BADGE_UNREAD_COLOUR : status !== 'offline' ? BADGE_WAITING_COLOUR : BADGE_OFFLINE_COLOUR;
      void api.setBadgeText({ text })?.catch?.(ignore);
      void api.setBadgeBackgroundColor({ color })?.catch?.(ignore);
      void api.setTitle({ title: strings.chats.badgeTitle(count, unread) })?.catch?.(ignore);
    },
    sound(name) {
      sounds.play(name);
    },
    newChat(c: ConversationView) {
      const now = Date.now();
      if (flushTimer === null && now - lastNewChatShownAt >= NEW_CHAT_NOTIFY_INTERVAL_MS) {
        lastNewChatShownAt = now;
        showChat(c);
        return;
      }
      held.set(c.id, c);
      flushTimer ??= setTimeout(flush, Math.max(0, lastNewChatShownAt + NEW_CHAT_NOTIFY_INTERVAL_MS - now));
    },
    newMessage(m: MessageView, c: ConversationView | undefined) {
      // Quiet: a new message in an accepted chat is less urgent than a visitor waiting for anyone.
      void browser.notifications
        .create(messageNotificationId(m.conversationId), {
          type: 'basic' as const,
          iconUrl,
          title: strings.chats.notify.messageTitle(m.authorName || c?.visitorName || strings.visitors.defaultName),
          message: previewOfMessage(m),
          ...chromeOnly({ priority: 0, silent: true }),
        } as NotificationOptions)
        .catch(ignore);
    },
    /** W3: a colleague's message in an internal chat (`key`: team:<id>, which a click opens). */
    newTeamMessage(key: string, m: TeamMessageView) {
      void browser.notifications
        .create(messageNotificationId(key), {
          type: 'basic' as const,
          iconUrl,
          title: strings.teamChats.notifyTitle(m.authorName),
          message: m.body || (m.ref ? `“${m.ref.quote}”` : ''),
          ...chromeOnly({ priority: 0, silent: true }),
        } as NotificationOptions)
        .catch(ignore);
    },
    clearChat(conversationId: string) {
      held.delete(conversationId);
      void browser.notifications.clear(chatNotificationId(conversationId)).catch(ignore);
      void browser.notifications.clear(messageNotificationId(conversationId)).catch(ignore);
      if (!summed.delete(conversationId)) return;
      if (summed.size === 0) {
        void browser.notifications.clear(NEW_CHATS_NOTIFICATION_ID).catch(ignore);
      } else {
        // Chrome updates it in place, without a new pop-up; Firefox has no update (the count stays until the next summary).
        const update = (browser.notifications as { update?: (id: string, o: object) => Promise<unknown> }).update;
        void update?.(NEW_CHATS_NOTIFICATION_ID, summaryOptions())?.catch(ignore);
      }
    },
    acceptOf(notificationId: string, buttonIndex: number) {
      return buttonIndex === 0 && notificationId.startsWith('chat:') ? conversationOfId(notificationId) : null;
    },
    conversationOf(notificationId: string) {
      if (notificationId === NEW_CHATS_NOTIFICATION_ID) return [...summed.keys()][0] ?? null;
      return conversationOfId(notificationId);
    },
  };
}
