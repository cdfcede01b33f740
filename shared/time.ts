/**
 * The one way Sidedesk writes a moment for a person (#5), in the panel and in the widget alike: in
 * the reader's own locale and clock (the browser's). No dependency, so the widget can carry it.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

/**
 * `short` is the time alone today ("14:05", or "2:05 PM" where the locale says so; the hour never
 * padded: not "02:05 PM") and the day with it otherwise ("3 Dec, 14:05"), so a chat reopened days
 * later doesn't read as today; `full` is for tooltips ("Wednesday, 3 December 2026 at 14:05:09").
 */
export function formatTime(iso: string | null | undefined, style: 'short' | 'full' = 'short', now = Date.now(), locale?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  if (style === 'full') return formatter(locale, { dateStyle: 'full', timeStyle: 'medium' }).format(d);
  const today = new Date(now);
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  if (sameDay) return formatter(locale, { hour: 'numeric', minute: '2-digit' }).format(d);
  const sameYear = d.getFullYear() === today.getFullYear();
  return formatter(locale, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }), hour: 'numeric', minute: '2-digit' }).format(d);
}
