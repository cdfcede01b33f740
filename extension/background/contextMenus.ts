/**
 * P12: the browser's context menu over any tab. Each feature adds its entries to the list at the
 * end of this file (one line each), like the background's domains (./domains.ts); this part
 * creates them, keeps each one enabled or not as the operator's state changes, and runs the entry
 * that was clicked. The entries read only what the browser hands the click (the selected text),
 * so no script is ever injected into a page and no permission beyond `contextMenus` is needed.
 */
import { insertIntoChatEntry, type InsertIntoChatDeps } from './composer';

/** What decides whether an entry can be used now. */
export interface MenuState {
  signedIn: boolean;
  /** Chats of the signed-in operator in progress (accepted, not closed). */
  myChats: number;
}

/** The part of `contextMenus.onClicked`'s info an entry reads. */
export interface MenuClick {
  menuItemId: string | number;
  selectionText?: string;
}

/** The tab the menu was opened on (absent for some browser pages). */
export interface MenuTab {
  id?: number;
  windowId?: number;
}

export interface ContextMenuEntry {
  id: string;
  title: string;
  contexts: ['selection'];
  enabled(state: MenuState): boolean;
  /** Runs inside the click's user gesture: open a panel here, before anything asynchronous. */
  run(click: MenuClick, tab: MenuTab | undefined): void;
}

/** The part of `browser.contextMenus` used here (Firefox: the same API, `menus` aliased as `contextMenus`). */
export interface ContextMenusApi {
  create(properties: { id: string; title: string; contexts: ['selection']; enabled: boolean }): unknown;
  update(id: string, properties: { enabled: boolean }): Promise<void> | void;
  removeAll(): Promise<void> | void;
}

export function createContextMenus(api: ContextMenusApi, entries: readonly ContextMenuEntry[], state: () => MenuState) {
  /** What each entry was last set to: the browser is told only of changes. */
  const enabled = new Map<string, boolean>();
  let installed: Promise<void> | null = null;
  const ignore = () => {};

  async function install() {
    // Created again at every start of the background (an MV3 worker restarts): what was there goes first.
    await Promise.resolve(api.removeAll()).catch(ignore);
    const now = state();
    for (const entry of entries) {
      const on = entry.enabled(now);
      enabled.set(entry.id, on);
      api.create({ id: entry.id, title: entry.title, contexts: entry.contexts, enabled: on });
    }
  }

  return {
    /** Creates the entries (once per start of the background). */
    install(): Promise<void> {
      installed ??= install();
      return installed;
    },
    /** The operator's state changed (signed in or out, a chat accepted or closed): entries follow. */
    update() {
      if (!installed) return;
      void installed.then(() => {
        const now = state();
        for (const entry of entries) {
          const on = entry.enabled(now);
          if (enabled.get(entry.id) === on) continue;
          enabled.set(entry.id, on);
          void Promise.resolve(api.update(entry.id, { enabled: on })).catch(ignore);
        }
      });
    },
    /**
     * `contextMenus.onClicked`: the entry clicked runs. The browser sends no click for a disabled
     * entry; and a click that wakes a stopped MV3 worker comes before the worker knows the
     * operator's chats again, so it is not checked against that state here (the panel is).
     */
    onClicked(click: MenuClick, tab: MenuTab | undefined) {
      entries.find((e) => e.id === String(click.menuItemId))?.run(click, tab);
    },
  };
}

/** What the entries need from the background. */
export type ContextMenuDeps = InsertIntoChatDeps;

/** Every entry, one line per feature, in the order the menu shows them. */
export function contextMenuEntries(deps: ContextMenuDeps): ContextMenuEntry[] {
  return [
    // P12: the selected text into the reply box of a chat.
    insertIntoChatEntry(deps),
  ];
}
