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

/** The one way a moment is written (#5), shared with the widget: "14:05" / "2:05 PM" today, with the day otherwise. */
export { formatTime } from '@@/shared/time';

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
