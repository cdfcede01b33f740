/**
 * Page tracking for the visitors grid (V5): what `page:view` carries, and a watcher for
 * in-page (SPA) navigation, which changes the URL without loading the widget again.
 */
import type { PageViewPayload } from '../../shared/schemas/visitors';

export function pageView(): PageViewPayload {
  let timezone: string | undefined;
  try {
    timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    /* old engines */
  }
  return {
    url: location.href.slice(0, 2048),
    title: document.title.slice(0, 500),
    referrer: document.referrer.slice(0, 2048),
    language: (navigator.language || '').slice(0, 35),
    screen: { width: Math.round(screen.width) || 0, height: Math.round(screen.height) || 0 },
    timezone,
  };
}

/**
 * Calls `onChange` (debounced) when the page's URL changes in place: history.pushState /
 * replaceState (patched, still calling the page's own versions), back/forward and hash changes.
 */
export function watchNavigation(onChange: () => void, delay = 300): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = location.href;
  const check = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (location.href === last) return;
      last = location.href;
      onChange();
    }, delay);
  };
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name];
    history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      check();
      return result;
    };
  }
  addEventListener('popstate', check);
  addEventListener('hashchange', check);
}
