/** Auth domain: the signed-in operator, login and logout (REST), the remembered server URL. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { authApi } from '@/utils/api';
import { createDexieOutbox, createDexieTeamOutbox } from '@/utils/db';
import { DEFAULT_SERVER_URL, normaliseServerUrl, serverUrlItem, sessionItem, type Session } from '@/utils/session';
import { strings } from '@/strings';

export const useSessionStore = defineStore('session', () => {
  const session = ref<Session | null>(null);
  const ready = ref(false);
  const serverUrl = ref(DEFAULT_SERVER_URL);
  const loggingIn = ref(false);
  const loginError = ref<string | null>(null);
  /** The session ended without the operator signing out (token revoked or expired). */
  const expired = ref(false);
  let signingOut = false;
  let unwatch: (() => void) | null = null;

  const signedIn = computed(() => session.value !== null);

  async function init() {
    if (ready.value) return;
    const [s, url] = await Promise.all([sessionItem.getValue(), serverUrlItem.getValue()]);
    session.value = s;
    serverUrl.value = s?.serverUrl ?? url;
    unwatch = sessionItem.watch((next) => {
      if (session.value && !next && !signingOut) expired.value = true;
      session.value = next;
      if (next) serverUrl.value = next.serverUrl;
    });
    ready.value = true;
  }

  async function login(serverInput: string, email: string, password: string): Promise<boolean> {
    loginError.value = null;
    const url = normaliseServerUrl(serverInput);
    if (!url) {
      loginError.value = strings.auth.invalidUrl;
      return false;
    }
    if (!email.trim() || !password) {
      loginError.value = strings.auth.missingFields;
      return false;
    }
    loggingIn.value = true;
    try {
      serverUrl.value = url;
      await serverUrlItem.setValue(url);
      const res = await authApi.login(url, email.trim(), password);
      if (!res.ok) {
        const f = res.failure;
        if (f.kind === 'unreachable') loginError.value = strings.auth.unreachable(url);
        else if (f.status === 401 || f.error.code === 'unauthenticated') loginError.value = strings.auth.wrongPassword;
        else if (f.status === 429 || f.error.code === 'rate_limited') loginError.value = strings.auth.rateLimited;
        else if (f.error.code === 'forbidden') loginError.value = strings.auth.accountDisabled;
        else if (f.error.code === 'validation_failed' && f.error.issues?.length)
          loginError.value = f.error.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
        else loginError.value = strings.auth.serverRefused(f.error.message);
        return false;
      }
      const next: Session = { serverUrl: url, token: res.data.token, operator: res.data.operator, account: res.data.account };
      expired.value = false;
      session.value = next;
      await sessionItem.setValue(next);
      return true;
    } finally {
      loggingIn.value = false;
    }
  }

  /** Signs out here and on the server. Works the same from the panel and the admin page. */
  async function logout() {
    const s = session.value;
    signingOut = true;
    try {
      // Queued messages (to visitors, and to colleagues: W3) belong to this operator: never let the
      // next one send them. (A broken IndexedDB must not keep anyone signed in.)
      await Promise.all([createDexieOutbox().clear(), createDexieTeamOutbox().clear()]).catch(() => {});
      session.value = null;
      expired.value = false;
      await sessionItem.setValue(null);
      // Revoke on the server too; signing out locally must not wait for (or depend on) it.
      if (s) void authApi.logout(s.serverUrl, s.token).catch(() => {});
    } finally {
      signingOut = false;
    }
  }

  function dispose() {
    unwatch?.();
    unwatch = null;
  }

  return { session, ready, serverUrl, loggingIn, loginError, expired, signedIn, init, login, logout, dispose };
});
