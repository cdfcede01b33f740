/**
 * The background's domains: each feature that needs the background (a badge, notifications, its
 * own panel messages) adds its part here. Visitors need nothing of it yet: their events only go
 * on to the panels, which every server event does.
 */
import { createChatsDomain, type ChatAlerts } from './chats';
import { createComposerDomain } from './composer';
import type { MenuState } from './contextMenus';
import { createSocketHub, type SocketHubOptions } from './hub';
import { createRoutingDomain } from './routing';
import { createTeamChatsDomain, type TeamChatAlerts } from './teamChats';

export interface HubOptions extends Omit<SocketHubOptions<never>, 'domains'> {
  alerts: ChatAlerts & TeamChatAlerts;
  /** P12: what the context menu's entries depend on changed (see {@link MenuState}). */
  onMenuState?: () => void;
}

/** The socket hub with every domain plugged in, and what the background entrypoint asks of them. */
export function createHub(options: HubOptions) {
  const { alerts, onMenuState, ...rest } = options;
  // W3: internal chats count in the badge and alert like a chat of mine; the chats domain knows what each panel shows.
  let chatsDomain: ReturnType<typeof createChatsDomain> | null = null;
  let teamDomain: ReturnType<typeof createTeamChatsDomain> | null = null;
  const hub = createSocketHub({
    ...rest,
    domains: {
      chats: (context) => (chatsDomain = createChatsDomain(context, alerts, onMenuState, () => teamDomain?.unreadChats() ?? 0)),
      teamChats: (context) =>
        (teamDomain = createTeamChatsDomain(context, {
          alerts,
          isShown: (key, focused) => chatsDomain?.isShownSomewhere(key, focused) ?? false,
          onChange: () => chatsDomain?.updateBadge(),
        })),
      routing: () => createRoutingDomain(alerts),
      composer: (context) => createComposerDomain(context),
    },
  });
  const { chats, composer } = hub.domains;
  return {
    get status() {
      return hub.status;
    },
    get panelCount() {
      return hub.panelCount;
    },
    setSession: hub.setSession,
    ensureConnected: hub.ensureConnected,
    addPanel: hub.addPanel,
    openChat: chats.openChat,
    acceptChat: chats.accept,
    get waitingCount() {
      return chats.waitingCount();
    },
    /** P12: text for the reply box of one of my chats ("Insert into chat"); 'pending' until a panel connects. */
    insertText: composer.insert,
    /** P12: what decides which context-menu entries are enabled. */
    get menuState(): MenuState {
      return { signedIn: !!hub.session, myChats: chats.mineInProgress() };
    },
    /** P5: the badge's parts (waiting chats, my chats with unread messages). */
    get badgeCounts() {
      return chats.badgeCounts();
    },
  };
}
