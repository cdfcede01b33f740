/**
 * The side panel's tabs: one entry per feature (#5). AppShell renders the tab bar, the panels and
 * the badges from this list and starts every tab's store when the operator signs in (and stops it
 * on sign-out), so adding a tab is a component folder plus one entry here. The order is the order
 * of the tab bar; the first tab is shown to a new operator.
 */
import { defineAsyncComponent, type Component } from 'vue';
import { useArchiveStore } from '@/stores/archive';
import { useCannedStore } from '@/stores/canned';
import { useAttentionStore } from '@/stores/attention';
import { useSupervisionStore } from '@/stores/supervision';
import { useChatListStore } from '@/stores/chatList';
import { useChatsStore } from '@/stores/chats';
import { useInsertIntoChatStore } from '@/stores/insertIntoChat';
import { useRatingsStore } from '@/stores/ratings';
import { useRoutingStore } from '@/stores/routing';
import { useTeamChatsStore } from '@/stores/teamChats';
import { createDexieTeamOutbox } from '@/utils/db';
import { useVisitorsStore } from '@/stores/visitors';
import { strings } from '@/strings';
import type { OutboxStore } from '@/utils/outbox';
import type { ServerClient } from '@/utils/serverClient';
import type { Session } from '@/utils/session';
import { TEAM_ICON_PATH } from '@/utils/icons';

/** What a tab's store gets to start with: the signed-in operator and the panel's one server client. */
export interface TabContext {
  session: Session;
  server: ServerClient;
  outbox: OutboxStore;
}

/** The count on a tab: `alert` (red) when it asks for action; `label` says it in words for screen readers. */
export interface TabBadge {
  count: number;
  alert: boolean;
  label: string;
}

export interface PanelTab {
  /** Stable id: the DOM ids (`tab-<id>`, `panel-<id>`), the test ids and the remembered tab. */
  id: string;
  label: () => string;
  /** An SVG path on a 16×16 grid, stroked in the text colour. */
  icon: string;
  /** Loaded the first time the tab is shown, then kept (its scroll and filters survive tab switches). */
  component: Component;
  /** Subscribes the tab's store to the server when the operator signs in; returns the unsubscribe. */
  start?: (context: TabContext) => () => void;
  /** Read inside a computed: the badge follows the stores. */
  badge?: () => TabBadge | null;
}

export const panelTabs: readonly PanelTab[] = [
  {
    id: 'chats',
    label: () => strings.chats.tab,
    icon: 'M2.5 3.5a1 1 0 0 1 1-1h9a1 1 0 0 1 1 1v6.5a1 1 0 0 1-1 1H7.2L4.5 13.5V11h-1a1 1 0 0 1-1-1z',
    component: defineAsyncComponent(() => import('@/components/chat/ChatQueue.vue')),
    start: ({ session, server, outbox }) => {
      const stops = [
        useChatsStore().start({ server, operatorId: session.operator.id, operatorName: session.operator.name, outbox }),
        // V2: a closed chat's rating in the chat window.
        useRatingsStore().start(server),
        // P10: the composer's canned responses.
        useCannedStore().start(server),
        // P3, P5: idle time, the visitor's typing, sound preferences.
        useAttentionStore().start(session, server),
        // P12: text selected on a page ("Insert into chat" in the context menu) into a reply box.
        useInsertIntoChatStore().start(server),
        // W4, W1: monitoring colleagues' chats, who watches mine, take over.
        useSupervisionStore().start(session, server),
        // W2, W3: internal chats with colleagues, in the same pane and list.
        useTeamChatsStore().start({ server, operatorId: session.operator.id, operatorName: session.operator.name, outbox: createDexieTeamOutbox() }),
      ];
      return () => stops.forEach((stop) => stop());
    },
    // P5: as the toolbar badge: chats waiting to be accepted plus chats of mine with unread messages.
    badge: () => {
      // A1 (#6): the waiting chats this operator is to see (their departments'); P5: chats with unread messages.
      const routing = useRoutingStore();
      const waiting = useChatListStore().waiting.filter((c) => routing.isForMe(c)).length;
      // W3: internal chats with unread messages count too.
      const unread = useChatsStore().unreadChats + useTeamChatsStore().unreadChats;
      return waiting + unread ? { count: waiting + unread, alert: true, label: strings.chats.badgeLabel(waiting, unread) } : null;
    },
  },
  {
    id: 'visitors',
    label: () => strings.visitors.tab,
    icon: 'M8 7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM3 13.5c0-2.6 2.2-4.2 5-4.2s5 1.6 5 4.2',
    component: defineAsyncComponent(() => import('@/components/visitors/VisitorList.vue')),
    start: ({ server }) => useVisitorsStore().start(server),
    badge: () => {
      const count = useVisitorsStore().count;
      return count ? { count, alert: false, label: strings.visitors.count(count) } : null;
    },
  },
  {
    // P11 (#6): "View operators": everyone's status and load, live; the operator's status and auto-away.
    id: 'team',
    label: () => strings.routing.tab,
    icon: TEAM_ICON_PATH,
    component: defineAsyncComponent(() => import('@/components/routing/RoutingOperators.vue')),
    start: ({ session, server }) => useRoutingStore().start({ server, session }),
    badge: () => {
      const n = useRoutingStore().onlineCount;
      return n ? { count: n, alert: false, label: strings.routing.onlineCount(n) } : null;
    },
  },
  {
    // P9 (#6): the account's closed chats, searched; one opened read-only.
    id: 'archive',
    label: () => strings.archive.tab,
    icon: 'M2.5 3.5h11v3h-11zM3.5 6.5v6h9v-6M6.5 9h3',
    component: defineAsyncComponent(() => import('@/components/archive/ArchiveSearch.vue')),
    start: ({ server }) => useArchiveStore().start(server),
  },
];

/** The tab with this id, or the first one (an id remembered from an older version may be gone). */
export function findTab(id: string | null | undefined): PanelTab {
  return panelTabs.find((t) => t.id === id) ?? panelTabs[0]!;
}
