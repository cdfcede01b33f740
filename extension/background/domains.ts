/**
 * The background's domains: each feature that needs the background (a badge, notifications, its
 * own panel messages) adds its part here. Visitors need nothing of it yet: their events only go
 * on to the panels, which every server event does.
 */
import { createChatsDomain, type ChatAlerts } from './chats';
import { createSocketHub, type SocketHubOptions } from './hub';
import { createRoutingDomain } from './routing';

export interface HubOptions extends Omit<SocketHubOptions<never>, 'domains'> {
  alerts: ChatAlerts;
}

/** The socket hub with every domain plugged in, and what the background entrypoint asks of them. */
export function createHub(options: HubOptions) {
  const { alerts, ...rest } = options;
  const hub = createSocketHub({
    ...rest,
    domains: { chats: (context) => createChatsDomain(context, alerts), routing: () => createRoutingDomain(alerts) },
  });
  const { chats } = hub.domains;
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
    get waitingCount() {
      return chats.waitingCount();
    },
    /** P5: the badge's parts (waiting chats, my chats with unread messages). */
    get badgeCounts() {
      return chats.badgeCounts();
    },
  };
}
