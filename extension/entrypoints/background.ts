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
import { contextMenuEntries, createContextMenus } from '@/background/contextMenus';
import { createBrowserAlerts } from '@/background/alerts';
import { PANEL_PORT_NAME } from '@/utils/protocol';
import { sessionItem } from '@/utils/session';

const RECONNECT_ALARM = 'sidedesk-reconnect';

export default defineBackground(() => {
  const alerts = createBrowserAlerts();
  // P12: the context menu over any tab; its entries follow the operator's state (signed in, chats of theirs).
  const menus = createContextMenus(
    {
      create: (properties) => browser.contextMenus.create(properties, () => void browser.runtime.lastError),
      update: (id, properties) => browser.contextMenus.update(id, properties),
      removeAll: () => browser.contextMenus.removeAll(),
    },
    contextMenuEntries({ insertText: (text) => hub.insertText(text), openPanel: openPanelIn }),
    () => hub.menuState,
  );
  const hub = createHub({
    onMenuState: () => menus.update(),
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

  void menus.install();
  browser.contextMenus.onClicked.addListener((info, tab) => menus.onClicked(info, tab));

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

  // P12: the Accept button of a new chat's notification (Chrome; the operator's choice): take the chat, then show it.
  browser.notifications.onButtonClicked?.addListener((notificationId, buttonIndex) => {
    const conversationId = alerts.acceptOf(notificationId, buttonIndex);
    if (!conversationId) return;
    void browser.notifications.clear(notificationId);
    void hub.acceptChat(conversationId).finally(() => void showPanel(conversationId));
  });

  /**
   * P12: opens the panel in this window. Called synchronously inside a context-menu click, the user
   * gesture both browsers ask for; where that is refused, the panel opens in a tab.
   */
  function openPanelIn(windowId: number | undefined) {
    const inTab = () => void browser.tabs.create({ url: browser.runtime.getURL('/sidepanel.html') }).catch(() => {});
    if (import.meta.env.FIREFOX) void (browser as unknown as { sidebarAction: { open(): Promise<void> } }).sidebarAction.open().catch(inTab);
    else if (windowId !== undefined) void browser.sidePanel.open({ windowId }).catch(inTab);
    else inTab();
  }

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
