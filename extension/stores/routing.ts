/**
 * Routing domain in the panel (P11, A1, P5, #6): the operator's own status, everyone's status and
 * load ("View operators", live from `operator:updated`), the departments and the account's routing
 * settings, the activity reports that keep auto-away off while the operator works, and transfers.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConversationView } from '@@/shared/schemas/chats';
import type { Availability, DepartmentView, OperatorAvailabilityView, RoutingSettingsView } from '@@/shared/schemas/routing';
import { routingApi, failureText } from '@/utils/api';
import { isWaitingChatFor } from '@/utils/attention';
import type { ServerClient } from '@/utils/serverClient';
import type { Session } from '@/utils/session';
import { strings } from '@/strings';

/** At most one activity report this often (auto-away counts in minutes). */
export const ACTIVITY_EVERY_MS = 30_000;

export interface RoutingStartOptions {
  server: ServerClient;
  session: Session;
}

export type TransferTarget = { operatorId: string } | { departmentId: string };

export const useRoutingStore = defineStore('routing', () => {
  const operators = ref<Record<string, OperatorAvailabilityView>>({});
  const departments = ref<DepartmentView[]>([]);
  const settings = ref<RoutingSettingsView | null>(null);
  const loaded = ref(false);
  const myId = ref<string | null>(null);
  const role = ref<Session['operator']['role']>('operator');
  /** The last refusal of a status change, in words. */
  const notice = ref<string | null>(null);
  let ctx: RoutingStartOptions | null = null;
  let lastActivity = 0;

  const me = computed(() => (myId.value ? (operators.value[myId.value] ?? null) : null));
  /** Everyone, the operator first, then online, away, offline, each by name. */
  const list = computed(() => {
    const rank: Record<Availability, number> = { online: 0, away: 1, offline: 2 };
    return Object.values(operators.value).sort(
      (a, b) => Number(b.id === myId.value) - Number(a.id === myId.value) || rank[a.status] - rank[b.status] || a.name.localeCompare(b.name),
    );
  });
  const onlineCount = computed(() => Object.values(operators.value).filter((o) => o.status === 'online').length);
  const departmentName = (id: string | null) => (id ? (departments.value.find((d) => d.id === id)?.name ?? null) : null);

  /** Whether a waiting chat is this operator's to see (A1, utils/attention.ts; the background counts the same). */
  function isForMe(c: Pick<ConversationView, 'departmentId' | 'escalationLevel'>): boolean {
    return isWaitingChatFor(c, { role: role.value, departmentIds: me.value?.departmentIds ?? null });
  }

  function upsert(o: OperatorAvailabilityView) {
    operators.value = { ...operators.value, [o.id]: o };
  }

  async function refresh() {
    if (!ctx) return;
    const { server, session } = ctx;
    const [list, depts, routing] = await Promise.all([
      server.request('operator:list', {}),
      routingApi.departments(session.serverUrl, session.token),
      routingApi.settings(session.serverUrl, session.token),
    ]);
    if (list.ok) operators.value = Object.fromEntries(list.data.map((o) => [o.id, o]));
    if (depts.ok) departments.value = depts.data;
    if (routing.ok) settings.value = routing.data;
    loaded.value = list.ok;
  }

  /** Departments may have been renamed or added since the panel opened (the transfer dialog asks). */
  async function refreshDepartments() {
    if (!ctx) return;
    const res = await routingApi.departments(ctx.session.serverUrl, ctx.session.token);
    if (res.ok) departments.value = res.data;
  }

  async function setStatus(status: Availability): Promise<boolean> {
    if (!ctx) return false;
    notice.value = null;
    const res = await ctx.server.request('status:set', { status });
    if (!res.ok) {
      notice.value = strings.routing.statusFailed(res.error.message);
      return false;
    }
    upsert(res.data);
    lastActivity = Date.now();
    return true;
  }

  /** Input or focus in the panel: reported at most every half minute (an auto-away ends at once). */
  function activity() {
    if (!ctx || ctx.server.status !== 'connected') return;
    const now = Date.now();
    if (now - lastActivity < ACTIVITY_EVERY_MS && !me.value?.autoAway) return;
    lastActivity = now;
    void ctx.server.request('activity:report', {});
  }

  /** Hands a chat over (P5); resolves with the refusal in words, or null when done. */
  async function transfer(conversationId: string, target: TransferTarget, note: string): Promise<string | null> {
    if (!ctx) return strings.app.offlineBanner;
    const text = note.trim();
    const res = await ctx.server.request('chat:transfer', { conversationId, ...target, ...(text ? { note: text } : {}) });
    if (!res.ok) return res.error.message;
    return null;
  }

  async function saveMyAutoAway(minutes: number | null): Promise<string | null> {
    if (!ctx) return strings.app.offlineBanner;
    const res = await routingApi.updateMe(ctx.session.serverUrl, ctx.session.token, minutes);
    if (!res.ok) return failureText(res.failure, ctx.session.serverUrl);
    upsert(res.data);
    return null;
  }

  /** Subscribes to the server and to the operator's activity in this panel; returns the unsubscribe. */
  function start(options: RoutingStartOptions): () => void {
    ctx = options;
    myId.value = options.session.operator.id;
    role.value = options.session.operator.role;
    const onActivity = () => activity();
    const events = ['keydown', 'pointerdown', 'focus'] as const;
    for (const e of events) window.addEventListener(e, onActivity, { capture: true, passive: true });
    const offs = [
      options.server.on('operator:updated', upsert),
      options.server.onStatus((status, previous) => {
        if (status === 'connected' && (previous !== 'connected' || !loaded.value)) void refresh();
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      for (const e of events) window.removeEventListener(e, onActivity, { capture: true });
      ctx = null;
      operators.value = {};
      departments.value = [];
      settings.value = null;
      loaded.value = false;
      myId.value = null;
      notice.value = null;
    };
  }

  return {
    operators,
    departments,
    settings,
    loaded,
    me,
    list,
    onlineCount,
    notice,
    departmentName,
    isForMe,
    start,
    refresh,
    refreshDepartments,
    setStatus,
    activity,
    transfer,
    saveMyAutoAway,
  };
});
