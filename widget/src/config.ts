/** Where the widget was loaded from and for which account, read from its own script tag. */
export interface WidgetConfig {
  /** Origin of the Sidedesk server (the script's src), e.g. `https://chat.example.com`. */
  server: string;
  accountId: string;
  /** P5: `data-sound` on the tag: a short tone for each new operator message (off unless the site asks). */
  sound: boolean;
}

/**
 * Finds the installing `<script … data-account>` tag. `document.currentScript` is set while a
 * classic (also async) script runs; the selector is the fallback for loaders that inject it.
 */
export function readConfig(doc: Document = document): WidgetConfig | null {
  const current = doc.currentScript as HTMLScriptElement | null;
  const script = current && current.dataset.account ? current : doc.querySelector<HTMLScriptElement>('script[data-account][src*="widget.js"]');
  const accountId = script?.dataset.account?.trim();
  if (!script || !accountId) return null;
  try {
    return { server: new URL(script.src, doc.baseURI).origin, accountId, sound: script.dataset.sound !== undefined && script.dataset.sound !== 'off' };
  } catch {
    return null;
  }
}
