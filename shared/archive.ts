/**
 * The chat archive's words (P9, #6), the same on the server (which cuts a snippet around them)
 * and in the panel (which marks them): the words a search box query looks for, and where they
 * are in a text. Whole words, any case, as PostgreSQL's 'simple' configuration matches them.
 */

const WORD = /[\p{L}\p{N}]+/gu;

/** The words a query asks for: not those it excludes (`-word`), not the operator `or`. */
export function searchTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const token of query.split(/\s+/)) {
    if (!token || token.startsWith('-') || token.toLowerCase() === 'or') continue;
    for (const word of token.match(WORD) ?? []) terms.add(word.toLowerCase());
  }
  return [...terms];
}

export interface TextPart {
  text: string;
  /** One of the words searched. */
  match: boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function termPattern(terms: readonly string[]): RegExp | null {
  if (!terms.length) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${terms.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}

/** `text` split into plain parts and the searched words: the panel builds them as text nodes, never HTML. */
export function highlightParts(text: string, terms: readonly string[]): TextPart[] {
  const pattern = termPattern(terms);
  if (!pattern) return text ? [{ text, match: false }] : [];
  const parts: TextPart[] = [];
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > at) parts.push({ text: text.slice(at, m.index), match: false });
    parts.push({ text: m[0], match: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}

/**
 * About `width` characters of `text` on one line, starting a little before the first searched word
 * (so it shows in a narrow list), with "…" where text was left out.
 */
export function snippetAround(text: string, terms: readonly string[], width = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const first = termPattern(terms)?.exec(flat)?.index ?? 0;
  let start = Math.max(0, first - 30);
  // Begin at a word, not inside one.
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    start = space >= 0 && space < first ? space + 1 : start;
  }
  const end = Math.min(flat.length, start + width);
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
}
