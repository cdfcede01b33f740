import { storage } from '#imports';
import type { AccountView, OperatorView } from '@@/shared/schemas/auth';

/** What the extension keeps of a signed-in operator. The token is the socket auth and the REST bearer. */
export interface Session {
  serverUrl: string;
  token: string;
  operator: OperatorView;
  account: AccountView;
}

export const DEFAULT_SERVER_URL = 'http://localhost:3000';

/**
 * The signed-in session, shared by background (which holds the socket) and panels (which show
 * login or the app). Cleared on sign-out and when the server rejects the token.
 */
export const sessionItem = storage.defineItem<Session | null>('local:session', { fallback: null, version: 1 });

/** The last server URL typed on the login screen, remembered across sign-outs. */
export const serverUrlItem = storage.defineItem<string>('local:serverUrl', { fallback: DEFAULT_SERVER_URL, version: 1 });

/** Height of the docked chat pane in px (the operator drags it). */
export const chatPaneHeightItem = storage.defineItem<number>('local:chatPaneHeight', { fallback: 360, version: 1 });

/** The panel tab last shown (its id in app/tabs.ts). */
export const panelTabItem = storage.defineItem<string | null>('local:panelTab', { fallback: null, version: 1 });

export interface ChatWindowsState {
  openIds: string[];
  activeId: string | null;
  /** W3: internal chats open in the pane, and the one shown over the visitor chats (absent before #7). */
  teamIds?: string[];
  teamId?: string | null;
}

/**
 * The chats open in the pane and the one shown (#5: a reload showed another chat). Kept for the
 * browser session only: a new day starts from the operator's own chats.
 */
export const chatWindowsItem = storage.defineItem<ChatWindowsState>('session:chatWindows', { fallback: { openIds: [], activeId: null }, version: 1 });

/**
 * W4 (#7): the colleagues' chats this panel monitors, kept for the browser session: after a panel
 * reload each is watched again (`chat:watch`), so its operator still sees "Watched by" and its
 * whispers keep arriving.
 */
export const monitoringItem = storage.defineItem<string[]>('session:monitoring', { fallback: [], version: 1 });

/** Turns what the operator typed into a normalised origin-like base URL, or null if it isn't http(s). */
export function normaliseServerUrl(input: string): string | null {
  let text = input.trim();
  if (!text) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}
