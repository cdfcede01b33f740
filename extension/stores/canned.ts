/**
 * Canned responses in the panel (P10, #6): the account's and the operator's own, as the composer
 * searches them, kept live (`canned:saved`, `canned:deleted`) and loaded again after every
 * reconnect. The operator's own are managed here (admins may change the account's too); the
 * manager dialog opens from the composer, the menu or Alt+R.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CannedCreatePayload, CannedPatch, CannedScope, CannedView } from '@@/shared/schemas/canned';
import type { ClientError } from '@/utils/protocol';
import type { ServerClient } from '@/utils/serverClient';

/** A form's outcome: the field a refusal belongs to, so the form shows it beside that field. */
export type CannedOutcome = { ok: true; view: CannedView } | { ok: false; field: 'shortcut' | 'title' | 'body' | 'form'; message: string };

/** What the form gives to save. */
export interface CannedInput {
  shortcut: string;
  title: string;
  body: string;
  scope: CannedScope;
}

const FIELDS = ['shortcut', 'title', 'body'] as const;

/** A refusal in the form's terms (shared by the panel's socket and the options page's REST). */
export function cannedRefusal(error: Pick<ClientError, 'code' | 'message'> & { issues?: { path: string; message: string }[] }): CannedOutcome & { ok: false } {
  const issue = error.issues?.find((i) => (FIELDS as readonly string[]).includes(i.path));
  if (issue) return { ok: false, field: issue.path as (typeof FIELDS)[number], message: issue.message };
  return { ok: false, field: 'form', message: error.message };
}

const byShortcut = (a: CannedView, b: CannedView) => a.shortcut.localeCompare(b.shortcut) || (a.scope === 'personal' ? -1 : 1);

export const useCannedStore = defineStore('canned', () => {
  const items = ref<CannedView[]>([]);
  const loaded = ref(false);
  const loadError = ref<string | null>(null);
  /** The manager dialog (and which response it edits first, if any). */
  const managerOpen = ref(false);
  let server: ServerClient | null = null;

  const sorted = computed(() => [...items.value].sort(byShortcut));

  function keep(view: CannedView) {
    items.value = [...items.value.filter((c) => c.id !== view.id), view];
  }

  function drop(id: string) {
    items.value = items.value.filter((c) => c.id !== id);
  }

  async function load() {
    if (!server) return;
    const res = await server.request('canned:list', {});
    if (res.ok) {
      items.value = res.data;
      loaded.value = true;
      loadError.value = null;
    } else loadError.value = res.error.message;
  }

  async function create(input: CannedCreatePayload): Promise<CannedOutcome> {
    if (!server) return { ok: false, field: 'form', message: 'Not connected' };
    const res = await server.request('canned:create', input);
    if (!res.ok) return cannedRefusal(res.error);
    keep(res.data);
    return { ok: true, view: res.data };
  }

  async function update(id: string, patch: CannedPatch): Promise<CannedOutcome> {
    if (!server) return { ok: false, field: 'form', message: 'Not connected' };
    const res = await server.request('canned:update', { cannedId: id, ...patch });
    if (!res.ok) return cannedRefusal(res.error);
    keep(res.data);
    return { ok: true, view: res.data };
  }

  async function remove(id: string): Promise<string | null> {
    if (!server) return 'Not connected';
    const res = await server.request('canned:delete', { cannedId: id });
    if (!res.ok && res.error.code !== 'not_found') return res.error.message;
    drop(id);
    return null;
  }

  /** Subscribe to the server; returns the unsubscribe. */
  function start(client: ServerClient): () => void {
    server = client;
    const offs = [
      client.on('canned:saved', keep),
      client.on('canned:deleted', ({ id }) => drop(id)),
      // Changes made while offline were missed: the list again on every (re)connect.
      client.onStatus((status, previous) => {
        if (status === 'connected' && (previous !== 'connected' || !loaded.value)) void load();
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      server = null;
      items.value = [];
      loaded.value = false;
      managerOpen.value = false;
    };
  }

  return { items: sorted, loaded, loadError, managerOpen, load, create, update, remove, start };
});
