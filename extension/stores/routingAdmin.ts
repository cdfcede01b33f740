/**
 * Routing administration (A1, #6) for the options page: departments and who is in them, the
 * account's routing settings and each operator's limit of chats, through the typed REST client.
 * Each action updates the state from the server's answer and leaves one line to announce.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { DepartmentView, OperatorAvailabilityView, RoutingSettingsPatch, RoutingSettingsView } from '@@/shared/schemas/routing';
import { failureText, routingApi, type ApiFailure } from '@/utils/api';
import type { Session } from '@/utils/session';
import { strings } from '@/strings';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export interface RoutingNotice {
  kind: 'done' | 'failed';
  text: string;
}

export const useRoutingAdminStore = defineStore('routingAdmin', () => {
  const state = ref<LoadState>('idle');
  const loadError = ref<string | null>(null);
  const departments = ref<DepartmentView[]>([]);
  const operators = ref<OperatorAvailabilityView[]>([]);
  const settings = ref<RoutingSettingsView | null>(null);
  const busy = ref(false);
  const notice = ref<RoutingNotice | null>(null);

  async function load(session: Session) {
    state.value = 'loading';
    loadError.value = null;
    const [d, o, s] = await Promise.all([
      routingApi.departments(session.serverUrl, session.token),
      routingApi.operators(session.serverUrl, session.token),
      routingApi.settings(session.serverUrl, session.token),
    ]);
    const failed = [d, o, s].find((r) => !r.ok);
    if (failed && !failed.ok) {
      loadError.value = failureText(failed.failure, session.serverUrl);
      state.value = 'error';
      return;
    }
    if (d.ok) departments.value = d.data;
    if (o.ok) operators.value = o.data;
    if (s.ok) settings.value = s.data;
    state.value = 'ready';
  }

  /** Runs one change: a failure becomes the notice (and undefined), a success `done`'s line (and the answer). */
  async function act<T>(session: Session, run: () => Promise<{ ok: true; data: T } | { ok: false; failure: ApiFailure }>, done: (data: T) => string) {
    busy.value = true;
    notice.value = null;
    try {
      const res = await run();
      if (!res.ok) {
        notice.value = { kind: 'failed', text: strings.routing.failed(failureText(res.failure, session.serverUrl)) };
        return undefined;
      }
      notice.value = { kind: 'done', text: done(res.data) };
      return res.data;
    } finally {
      busy.value = false;
    }
  }

  const replace = (d: DepartmentView) => (departments.value = departments.value.map((x) => (x.id === d.id ? d : x)));

  async function create(session: Session, name: string): Promise<boolean> {
    const d = await act(
      session,
      () => routingApi.createDepartment(session.serverUrl, session.token, name),
      (d) => strings.routing.created(d.name),
    );
    if (d) departments.value = [...departments.value, d].sort((a, b) => a.name.localeCompare(b.name));
    return !!d;
  }

  async function rename(session: Session, id: string, name: string): Promise<boolean> {
    const d = await act(
      session,
      () => routingApi.updateDepartment(session.serverUrl, session.token, id, { name }),
      (d) => strings.routing.renamed(d.name),
    );
    if (d) replace(d);
    return !!d;
  }

  async function setMembers(session: Session, id: string, operatorIds: string[]): Promise<boolean> {
    const d = await act(
      session,
      () => routingApi.updateDepartment(session.serverUrl, session.token, id, { operatorIds }),
      (d) => strings.routing.membersSaved(d.name),
    );
    if (d) replace(d);
    return !!d;
  }

  async function remove(session: Session, d: DepartmentView): Promise<boolean> {
    const res = await act(
      session,
      () => routingApi.deleteDepartment(session.serverUrl, session.token, d.id),
      () => strings.routing.removed(d.name),
    );
    if (res !== undefined) departments.value = departments.value.filter((x) => x.id !== d.id);
    return res !== undefined;
  }

  async function saveSettings(session: Session, patch: RoutingSettingsPatch): Promise<boolean> {
    const s = await act(
      session,
      () => routingApi.updateSettings(session.serverUrl, session.token, patch),
      () => strings.routing.settingsSaved,
    );
    if (s) settings.value = s;
    return !!s;
  }

  async function setLimit(session: Session, operatorId: string, maxChats: number): Promise<boolean> {
    const o = await act(
      session,
      () => routingApi.updateOperator(session.serverUrl, session.token, operatorId, { maxChats }),
      (o) => strings.routing.limitSaved(o.name, o.maxChats),
    );
    if (o) operators.value = operators.value.map((x) => (x.id === o.id ? o : x));
    return !!o;
  }

  return { state, loadError, departments, operators, settings, busy, notice, load, create, rename, setMembers, remove, saveSettings, setLimit };
});
