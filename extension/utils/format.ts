/** Small display helpers shared by the panel components. */

/** "42s", "3:07", "1:02:09" — compact elapsed time for dense rows. */
export function formatElapsed(fromIso: string | null | undefined, now: number): string {
  if (!fromIso) return '';
  const start = Date.parse(fromIso);
  if (Number.isNaN(start)) return '';
  const total = Math.max(0, Math.floor((now - start) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  if (m > 0) return `${m}:${String(s).padStart(2, '0')}`;
  return `${s}s`;
}

/** "5s", "4m", "2h", "3d" — how long ago, for "last seen". */
export function formatAgo(fromIso: string | null | undefined, now: number): string {
  if (!fromIso) return '';
  const t = Date.parse(fromIso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

/**
 * The one way the panel writes a moment (#5), in the operator's own locale and clock (the browser's):
 * `short` is the time alone today ("14:05", or "2:05 PM" where the locale says so) and the day with
 * it otherwise ("3 Dec, 14:05"), so a chat reopened days later doesn't read as today; `full` is for
 * tooltips ("Wednesday, 3 December 2026 at 14:05:09").
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

/** The path (+ query) of a URL, for a narrow row: "/demo/pricing.html". */
export function urlPath(url: string | null | undefined): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

let regionNames: Intl.DisplayNames | null | undefined;
/** "DE" → "Germany" where the runtime knows it; the code otherwise. */
export function countryName(code: string | null | undefined): string {
  if (!code) return '';
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(undefined, { type: 'region' });
    } catch {
      regionNames = null;
    }
  }
  try {
    return regionNames?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** "Berlin, Germany" / "Germany" / "" */
export function formatPlace(city: string | null, country: string | null, region?: string | null): string {
  return [city, region, country ? countryName(country) : null].filter((p) => p && p.trim()).join(', ');
}
