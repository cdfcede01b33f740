/**
 * P12 "Insert into chat": text selected on any page goes to the panel, which puts it in the reply
 * box of the operator's chat (or asks which chat, when several are open). With a panel open the
 * text goes to it at once; with none, the entry opens one (the click is a user gesture) and the
 * text waits here for it to connect, for {@link PENDING_INSERT_MS} at most.
 */
import { strings } from '@/strings';
import type { ContextMenuEntry } from './contextMenus';
import type { BackgroundDomain, DomainContext, PanelHandle } from './hub';

/** How long text waits for a panel that is being opened (a cold side panel signs in and loads its chats first). */
export const PENDING_INSERT_MS = 30_000;

export const INSERT_INTO_CHAT_MENU_ID = 'insert-into-chat';

export function createComposerDomain(context: DomainContext, now: () => number = () => Date.now()) {
  /** Which panels are on screen and which has the focus: the text goes to the one the operator works in. */
  const focus = new WeakMap<PanelHandle, { visible: boolean; focused: boolean }>();
  let pending: { text: string; until: number } | null = null;

  /** The focused panel, else the visible ones, else all (one side panel per window: normally just one). */
  function targets(): PanelHandle[] {
    const all = [...context.panels()];
    const focused = all.filter((p) => focus.get(p)?.focused);
    if (focused.length) return focused.slice(0, 1);
    const visible = all.filter((p) => focus.get(p)?.visible);
    return visible.length ? visible.slice(0, 1) : all;
  }

  const domain = {
    panelMessages: {
      focus: (panel, message) => focus.set(panel, { visible: message.visible, focused: message.focused ?? message.visible }),
    },
    onPanelAdded(panel) {
      const p = pending;
      pending = null;
      if (p && now() <= p.until) panel.post({ type: 'composer-insert', text: p.text });
    },
    onSessionEnd() {
      pending = null;
    },
  } satisfies BackgroundDomain;

  return {
    ...domain,
    /** Sends `text` to the panel; 'pending' when no panel is open (the caller opens one). */
    insert(text: string): 'sent' | 'pending' {
      const to = targets();
      if (to.length === 0) {
        pending = { text, until: now() + PENDING_INSERT_MS };
        return 'pending';
      }
      for (const panel of to) panel.post({ type: 'composer-insert', text });
      return 'sent';
    },
  };
}

export interface InsertIntoChatDeps {
  /** The composer domain's insert. */
  insertText(text: string): 'sent' | 'pending';
  /** Opens the panel in this window; called synchronously inside the click (the gesture the browser asks for). */
  openPanel(windowId: number | undefined): void;
}

/** The context-menu entry: enabled while signed in with a chat of mine in progress. */
export function insertIntoChatEntry(deps: InsertIntoChatDeps): ContextMenuEntry {
  return {
    id: INSERT_INTO_CHAT_MENU_ID,
    title: strings.contextMenu.insertIntoChat,
    contexts: ['selection'],
    enabled: (state) => state.signedIn && state.myChats > 0,
    run(click, tab) {
      const text = click.selectionText?.trim();
      if (!text) return;
      if (deps.insertText(text) === 'pending') deps.openPanel(tab?.windowId);
    },
  };
}
