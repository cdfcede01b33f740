/**
 * The account's canned responses on the options page (P10, #6): admins list, search, create,
 * change and delete them through the typed REST client. Each action updates the list from the
 * server's answer and leaves one line for the page to announce.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CannedCreateBody, CannedPatch, CannedView } from '@@/shared/schemas/canned';
import { cannedApi, failureText, type ApiFailure } from '@/utils/api';
import type { Session } from '@/utils/session';
import { strings } from '@/strings';
import { cannedRefusal, type CannedOutcome } from './canned';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

function refusal(failure: ApiFailure, serverUrl: string): CannedOutcome & { ok: false } {
  if (failure.kind === 'server' && failure.status !== 401) return cannedRefusal(failure.error);
  return { ok: false, field: 'form', message: failureText(failure, serverUrl) };
}

export const useCannedAdminStore = defineStore('cannedAdmin', () => {
  const state = ref<LoadState>('idle');
  const loadError = ref<string | null>(null);
  const list = ref<CannedView[]>([]);
  const busy = ref(new Set<string>());
  const notice = ref<{ kind: 'done' | 'failed'; text: string } | null>(null);

  const items = computed(() => [...list.value].sort((a, b) => a.shortcut.localeCompare(b.shortcut)));

  async function load(session: Session) {
    state.value = 'loading';
    loadError.value = null;
    const res = await cannedApi.list(session.serverUrl, session.token);
    if (!res.ok) {
      loadError.value = failureText(res.failure, session.serverUrl);
      state.value = 'error';
      return;
    }
    list.value = res.data;
    state.value = 'ready';
  }

  function keep(view: CannedView) {
    list.value = [...list.value.filter((c) => c.id !== view.id), view];
  }

  async function create(session: Session, body: CannedCreateBody): Promise<CannedOutcome> {
    notice.value = null;
    const res = await cannedApi.create(session.serverUrl, session.token, body);
    if (!res.ok) return refusal(res.failure, session.serverUrl);
    keep(res.data);
    notice.value = { kind: 'done', text: strings.canned.done.created(res.data.shortcut) };
    return { ok: true, view: res.data };
  }

  async function update(session: Session, id: string, patch: CannedPatch): Promise<CannedOutcome> {
    notice.value = null;
    const res = await cannedApi.update(session.serverUrl, session.token, id, patch);
    if (!res.ok) return refusal(res.failure, session.serverUrl);
    keep(res.data);
    notice.value = { kind: 'done', text: strings.canned.done.saved(res.data.shortcut) };
    return { ok: true, view: res.data };
  }

  async function remove(session: Session, view: CannedView): Promise<boolean> {
    if (busy.value.has(view.id)) return false;
    busy.value = new Set(busy.value).add(view.id);
    notice.value = null;
    try {
      const res = await cannedApi.remove(session.serverUrl, session.token, view.id);
      if (!res.ok && !(res.failure.kind === 'server' && res.failure.status === 404)) {
        notice.value = { kind: 'failed', text: strings.canned.failed(failureText(res.failure, session.serverUrl)) };
        return false;
      }
      list.value = list.value.filter((c) => c.id !== view.id);
      notice.value = { kind: 'done', text: strings.canned.done.removed(view.shortcut) };
      return true;
    } finally {
      const next = new Set(busy.value);
      next.delete(view.id);
      busy.value = next;
    }
  }

  return { state, loadError, items, busy, notice, load, create, update, remove };
});
