/**
 * P4: the URL pattern of an automatic invitation rule, one rule for the server (which evaluates
 * it) and the options page (which checks it as it is typed). With a `*` it is a glob over the
 * whole URL (`*` is any run of characters, nothing else is special: `https://shop.example.com/*`);
 * without one it is a substring (`/pricing`). Case-insensitive either way.
 */

/** Longest pattern accepted. */
export const MAX_URL_PATTERN_LENGTH = 500;

/** Why the pattern can't be used, or null when it can. */
export function urlPatternProblem(pattern: string): string | null {
  const p = pattern.trim();
  if (!p) return 'Enter a part of an address, or a pattern with *';
  if (p.length > MAX_URL_PATTERN_LENGTH) return `At most ${MAX_URL_PATTERN_LENGTH} characters`;
  if (/\s/.test(p)) return 'An address has no spaces';
  if (/^\*+$/.test(p)) return 'A pattern of only * matches every page: leave the field empty instead';
  return null;
}

/** A matcher for `pattern` (assumed valid): linear time, whatever the URL (no backtracking regex). */
export function urlMatcher(pattern: string): (url: string) => boolean {
  const p = pattern.trim().toLowerCase();
  if (!p.includes('*')) return (url) => url.toLowerCase().includes(p);
  const parts = p.split('*');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1).filter(Boolean);
  return (raw) => {
    const url = raw.toLowerCase();
    if (!url.startsWith(first) || !url.endsWith(last) || url.length < first.length + last.length) return false;
    // Greedy left to right is exact for `*`-only globs: each middle part at its first place after the previous.
    let at = first.length;
    const end = url.length - last.length;
    for (const part of middle) {
      const found = url.indexOf(part, at);
      if (found < 0 || found + part.length > end) return false;
      at = found + part.length;
    }
    return true;
  };
}
