/**
 * Background (Chrome MV3 service worker / Firefox MV2 background page): holds the one operator
 * socket so the badge and notifications work while the side panel is closed (P5), and proxies
 * the panels' commands to it over runtime ports (see utils/protocol.ts).
 */
import { browser, defineBackground } from '#imports';
import { io } from 'socket.io-client';
import { OPERATOR_NAMESPACE, type OperatorAuth } from '@@/shared/events';
import { PANEL_RECONNECT } from '@@/shared/reconnect';
import { createHub } from '@/background/domains';
import type { SocketLike } from '@/background/hub';
import { createBrowserAlerts } from '@/background/alerts';
import { PANEL_PORT_NAME } from '@/utils/protocol';
import { sessionItem } from '@/utils/session';

const RECONNECT_ALARM = 'sidedesk-reconnect';

export default defineBackground(() => {
  const alerts = createBrowserAlerts();
  const hub = createHub({
    createSocket(session) {
      const auth: OperatorAuth = { token: session.token };
      // Websocket only: a service worker has no XMLHttpRequest for long-polling.
      // Jittered, short backoff: after a server restart every panel comes back within seconds (#4).
      return io(session.serverUrl + OPERATOR_NAMESPACE, { auth, transports: ['websocket'], autoConnect: false, ...PANEL_RECONNECT }) as unknown as SocketLike;
    },
    alerts,
    onUnauthenticated() {
      void sessionItem.setValue(null);
    },
    log: (...args) => console.debug('[sidedesk]', ...args),
  });

  // An MV3 worker can be stopped at any time: everything starts again from the stored session.
  void sessionItem.getValue().then((s) => hub.setSession(s));
  sessionItem.watch((s) => hub.setSession(s));

  browser.runtime.onConnect.addListener((port) => {
    if (port.name === PANEL_PORT_NAME) hub.addPanel(port);
  });

  // Every minute: restart a socket that gave up (server restarted, laptop woke up, worker restarted).
  void browser.alarms.create(RECONNECT_ALARM, { periodInMinutes: 1 });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RECONNECT_ALARM) hub.ensureConnected();
  });
  browser.runtime.onStartup.addListener(() => hub.ensureConnected());

  if (import.meta.env.FIREFOX) {
    // The toolbar button toggles the sidebar (a user gesture, which sidebarAction.toggle needs).
    const ff = browser as unknown as { browserAction?: { onClicked: { addListener(fn: () => void): void } }; sidebarAction?: { toggle(): Promise<void> } };
    ff.browserAction?.onClicked.addListener(() => void ff.sidebarAction?.toggle());
  } else {
    void browser.sidePanel?.setPanelBehavior({ openPanelOnActionClick: true }).catch(() => {});
  }

  browser.notifications.onClicked.addListener((notificationId) => {
    const conversationId = alerts.conversationOf(notificationId);
    void browser.notifications.clear(notificationId);
    if (conversationId) void showPanel(conversationId);
  });

  /** Bring the operator to the chat: the open panel if there is one, else try to open it. */
  async function showPanel(conversationId: string) {
    hub.openChat(conversationId);
    const win = await browser.windows.getLastFocused().catch(() => null);
    if (win?.id !== undefined) void browser.windows.update(win.id, { focused: true }).catch(() => {});
    if (hub.panelCount > 0) return;
    try {
      // May be refused without a user gesture (Chrome decides per version); then a tab will do.
      if (import.meta.env.FIREFOX) await (browser as unknown as { sidebarAction: { open(): Promise<void> } }).sidebarAction.open();
      else if (win?.id !== undefined) await browser.sidePanel.open({ windowId: win.id });
      else throw new Error('no window');
    } catch {
      await browser.tabs.create({ url: browser.runtime.getURL('/sidepanel.html') });
    }
  }
});
