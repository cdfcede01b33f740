/**
 * Entry of `widget.js`, installed with one tag:
 *   <script async src="https://SERVER/widget.js" data-account="ACCOUNT_ID"></script>
 * (`data-sound` on it: a short tone for each new operator message, P5.)
 * Reads its own tag, connects to the server's `/visitor` namespace, tracks the page and mounts the
 * UI in a Shadow DOM. The only global it creates is `window.Sidedesk` (see {@link SidedeskApi});
 * calls queued before it loaded (`(window.Sidedesk = window.Sidedesk || []).push(['open'])`) run.
 */
import { ChatController } from './chat/controller';
import { readConfig } from './config';
import { beep } from './sound';
import { fileTransfer } from './files';
import { connect } from './socket';
import { createStore } from './storage';
import { pageView, watchNavigation } from './tracking';
import { mountUI, type WidgetUI } from './ui/app';

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
  let ui: WidgetUI | undefined;
  let refused = false;
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
        ui?.host.remove();
        ui = undefined;
      },
    },
  );
  const ctrl = new ChatController(
    transport,
    store,
    () => ui?.render(),
    pageView,
    fileTransfer(config.server, () => store.get('token', '')),
  );
  if (config.sound) ctrl.onOperatorMessage = beep;
  const queue = Array.isArray(existing) ? existing : [];
  const api: SidedeskApi = {
    open: () => ui?.open(),
    close: () => ui?.close(),
    toggle: () => ui?.toggle(),
    push: (call) => (typeof call === 'function' ? call() : api[call[0]]?.()),
    loaded: true,
  };
  window.Sidedesk = api;
  watchNavigation(() => void ctrl.trackPage());

  const start = () => {
    if (refused) return;
    ui = mountUI(ctrl);
    for (const call of queue) api.push(call);
  };
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
}
