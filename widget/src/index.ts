/**
 * Entry of `widget.js`, installed with one tag:
 *   <script async src="https://SERVER/widget.js" data-account="ACCOUNT_ID"></script>
 * (`data-sound` on it: a short tone for each new operator message, P5.)
 * Reads its own tag, connects to the server's `/visitor` namespace, tracks the page and shows the
 * launcher in a Shadow DOM. The chat UI is the second file (`widget-ui-<hash>.js`, V1: the first
 * load stays small), imported when the visitor opens the chat, is invited to one (P4), or has one
 * going. The only global it creates is `window.Sidedesk` (see {@link SidedeskApi}); calls queued
 * before it loaded (`(window.Sidedesk = window.Sidedesk || []).push(['open'])`) run.
 */
import uiFile from 'virtual:widget-ui';
import { ChatController } from './chat/controller';
import { readConfig } from './config';
import { beep } from './sound';
import { fileTransfer } from './files';
import { connect } from './socket';
import { createStore } from './storage';
import { pageView, watchNavigation } from './tracking';
import type { WidgetUI } from './ui/app';
import { createShell, renderLauncher, type Shell } from './ui/shell';

export interface SidedeskApi {
  open(): void;
  close(): void;
  toggle(): void;
  /** Array-style queue compatibility: `Sidedesk.push(['open'])` works after load too. */
  push(call: QueuedCall): void;
  readonly loaded: true;
}
type QueuedCall = [keyof Omit<SidedeskApi, 'push' | 'loaded'>, ...unknown[]] | (() => void);

declare global {
  interface Window {
    Sidedesk?: SidedeskApi | QueuedCall[];
  }
}

const config = readConfig();
const existing = window.Sidedesk;

if (!config) console.warn('[Sidedesk] widget.js needs a data-account attribute on its <script> tag.');
else if (existing && !Array.isArray(existing) && existing.loaded) {
  // Loaded twice (snippet pasted twice): the first copy stays in charge.
} else {
  const store = createStore(config.accountId);
  let shell: Shell | undefined;
  let ui: WidgetUI | undefined;
  let loading: Promise<WidgetUI | undefined> | undefined;
  let refused = false;
  /** The chat UI, imported once (again after a failure) and mounted into the launcher's shell. */
  const loadUI = (): Promise<WidgetUI | undefined> =>
    (loading ??= (import(/* @vite-ignore */ `${config.server}/${uiFile}`) as Promise<typeof import('./ui/index')>).then(
      (m) => {
        if (refused || !shell) return undefined;
        ui ??= m.mountUI(ctrl, document.body, shell);
        return ui;
      },
      (err: unknown) => {
        // Not at once again (every render would ask): in a few seconds, or when the visitor clicks.
        setTimeout(() => (loading = undefined), 5_000);
        console.error('[Sidedesk] The chat could not be loaded.', err);
        return undefined;
      },
    ));
  const render = () => {
    const st = ctrl.state;
    if (ui) return ui.render();
    if (!shell) return;
    renderLauncher(shell, st.open, st.unread);
    if (st.open || st.invitation || (st.conversation && st.conversation.status !== 'closed')) void loadUI();
  };
  const transport = connect(
    config.server,
    // Read on every connect attempt (the controller exists by then): the token and chat we hold now.
    () => {
      const visitorToken = store.get('token', '');
      return { accountId: config.accountId, ...(visitorToken ? { visitorToken } : {}), ...ctrl.resumeHint() };
    },
    {
      // #4: the account doesn't allow this website. Tell the site's developer; show visitors
      // nothing rather than a chat that can never connect.
      onRefused: (message) => {
        refused = true;
        console.error(`[Sidedesk] ${message}`);
        shell?.host.remove();
        shell = ui = undefined;
      },
    },
  );
  const ctrl = new ChatController(
    transport,
    store,
    render,
    pageView,
    fileTransfer(config.server, () => store.get('token', '')),
  );
  if (config.sound) ctrl.onOperatorMessage = beep;
  const queue = Array.isArray(existing) ? existing : [];
  const api: SidedeskApi = {
    open: () => void loadUI().then((u) => u?.open()),
    close: () => ui?.close(),
    toggle: () => (ui ? ui.toggle() : api.open()),
    push: (call) => (typeof call === 'function' ? call() : api[call[0]]?.()),
    loaded: true,
  };
  window.Sidedesk = api;
  watchNavigation(() => void ctrl.trackPage());

  const start = () => {
    if (refused) return;
    shell = createShell();
    // Until the UI is here, the launcher loads it (and the UI then takes the click over).
    shell.launcher.onclick = () => api.open();
    // A pointer on its way to the launcher: start fetching the UI already.
    shell.launcher.addEventListener('pointerenter', () => void loadUI(), { once: true });
    render();
    for (const call of queue) api.push(call);
  };
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
}
