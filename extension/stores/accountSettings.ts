/**
 * Account settings domain (#4): the websites the account's widget may run on, as the options page
 * edits them. The list is edited as a draft and saved in one PATCH; every entry is checked and
 * normalised by the same schema the server uses, so what is shown is what will be stored.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { parseWebsiteOrigin } from '@@/shared/schemas/accounts';
import { accountApi, failureText } from '@/utils/api';
import type { Session } from '@/utils/session';
import { strings } from '@/strings';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export const useAccountSettingsStore = defineStore('accountSettings', () => {
  const state = ref<LoadState>('idle');
  const loadError = ref<string | null>(null);
  /** What the server holds. */
  const saved = ref<string[]>([]);
  /** What the admin is editing. */
  const draft = ref<string[]>([]);
  const saving = ref(false);
  const saveError = ref<string | null>(null);
  const justSaved = ref(false);
  /** P3: minutes without visitor input before a chat shows as idle (what the server holds). */
  const idleAfterMinutes = ref<number | null>(null);
  /** W4: whether operators too may monitor colleagues' chats and whisper into them (what the server holds). */
  const operatorsMayMonitor = ref<boolean | null>(null);

  const dirty = computed(() => draft.value.length !== saved.value.length || draft.value.some((o, i) => o !== saved.value[i]));

  async function load(session: Session) {
    state.value = 'loading';
    loadError.value = null;
    const res = await accountApi.settings(session.serverUrl, session.token);
    if (!res.ok) {
      loadError.value = failureText(res.failure, session.serverUrl);
      state.value = 'error';
      return;
    }
    saved.value = res.data.allowedOrigins;
    draft.value = [...res.data.allowedOrigins];
    idleAfterMinutes.value = res.data.idleAfterMinutes;
    operatorsMayMonitor.value = res.data.operatorsMayMonitor;
    state.value = 'ready';
  }

  /** Adds what was typed to the draft; returns why it can't be added (shown beside the field), or null. */
  function add(input: string): string | null {
    const parsed = parseWebsiteOrigin(input);
    if (!parsed.ok) return parsed.message;
    if (draft.value.includes(parsed.origin)) return strings.account.originsDuplicate;
    draft.value = [...draft.value, parsed.origin];
    justSaved.value = false;
    return null;
  }

  function remove(origin: string) {
    draft.value = draft.value.filter((o) => o !== origin);
    justSaved.value = false;
  }

  async function save(session: Session): Promise<boolean> {
    saving.value = true;
    saveError.value = null;
    justSaved.value = false;
    try {
      const res = await accountApi.updateSettings(session.serverUrl, session.token, { allowedOrigins: draft.value });
      if (!res.ok) {
        saveError.value = failureText(res.failure, session.serverUrl);
        return false;
      }
      saved.value = res.data.allowedOrigins;
      draft.value = [...res.data.allowedOrigins];
      justSaved.value = true;
      return true;
    } finally {
      saving.value = false;
    }
  }

  /** P3: saves the idle time alone; resolves with why it failed, or null. */
  async function saveIdle(session: Session, minutes: number): Promise<string | null> {
    const res = await accountApi.updateSettings(session.serverUrl, session.token, { idleAfterMinutes: minutes });
    if (!res.ok) return failureText(res.failure, session.serverUrl);
    idleAfterMinutes.value = res.data.idleAfterMinutes;
    return null;
  }

  /** W4: saves "operators may monitor" alone; resolves with why it failed, or null. */
  async function saveMonitoring(session: Session, on: boolean): Promise<string | null> {
    const res = await accountApi.updateSettings(session.serverUrl, session.token, { operatorsMayMonitor: on });
    if (!res.ok) return failureText(res.failure, session.serverUrl);
    operatorsMayMonitor.value = res.data.operatorsMayMonitor;
    return null;
  }

  return {
    state,
    loadError,
    saved,
    draft,
    dirty,
    saving,
    saveError,
    justSaved,
    idleAfterMinutes,
    operatorsMayMonitor,
    load,
    add,
    remove,
    save,
    saveIdle,
    saveMonitoring,
  };
});
