/** Where the widget was loaded from and for which account, read from its own script tag. */
export interface WidgetConfig {
  /** Origin of the Sidedesk server (the script's src), e.g. `https://chat.example.com`. */
  server: string;
  accountId: string;
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
    return { server: new URL(script.src, doc.baseURI).origin, accountId };
  } catch {
    return null;
  }
}
