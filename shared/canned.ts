/**
 * Canned responses in the composer (P10, #6), written once and without zod so the panel and the
 * tests share it: where a `/shortcut` is being typed, which responses match it, and the text a
 * response becomes once its placeholders are filled from the chat.
 */

export const MAX_CANNED_SHORTCUT_LENGTH = 32;
export const MAX_CANNED_TITLE_LENGTH = 120;
export const MAX_CANNED_BODY_LENGTH = 5000;

/** A whole shortcut, without its slash: letters (any script), digits, - and _. */
export const CANNED_SHORTCUT_PATTERN = /^[\p{L}\p{N}_-]+$/u;

/** The least a response must be for matching and inserting (a CannedView fits). */
export interface CannedLike {
  scope: 'personal' | 'account';
  shortcut: string;
  title: string;
  body: string;
}

/** The `/query` being typed at the caret: `start` is the slash, `end` the caret; `query` is lower-case. */
export interface SlashQuery {
  start: number;
  end: number;
  query: string;
}

const SHORTCUT_CHARS = /^[\p{L}\p{N}_-]*$/u;

/**
 * The slash word the caret is at the end of, if any: a `/` at the start of the text or after
 * white space, followed only by shortcut characters up to the caret. `and/or`, `https://…` and
 * `/a/b` are not shortcuts.
 */
export function slashQueryAt(text: string, caret: number): SlashQuery | null {
  let start = caret;
  while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
  if (text[start] !== '/') return null;
  const query = text.slice(start + 1, caret);
  if (!SHORTCUT_CHARS.test(query)) return null;
  // The caret in the middle of a word (`/pri|ce`): the word is the whole of it, not a prefix.
  if (caret < text.length && !/\s/.test(text[caret]!)) return null;
  return { start, end: caret, query: query.toLowerCase() };
}

/** The response whose shortcut is exactly `shortcut`; the operator's own wins over the account's. */
export function findByShortcut<T extends CannedLike>(list: readonly T[], shortcut: string): T | undefined {
  const wanted = shortcut.toLowerCase();
  const hits = list.filter((c) => c.shortcut === wanted);
  return hits.find((c) => c.scope === 'personal') ?? hits[0];
}

/**
 * The responses matching what was typed after `/`, best first: shortcuts starting with it, then
 * shortcuts containing it, then titles and texts containing it (each group by shortcut). An empty
 * query lists everything. A personal response hides an account-wide one with its shortcut.
 */
export function matchCanned<T extends CannedLike>(list: readonly T[], query: string): T[] {
  const q = query.trim().toLowerCase();
  const mine = new Set(list.filter((c) => c.scope === 'personal').map((c) => c.shortcut));
  const visible = list.filter((c) => c.scope === 'personal' || !mine.has(c.shortcut));
  const rank = (c: T): number => {
    if (!q) return 0;
    if (c.shortcut.startsWith(q)) return 0;
    if (c.shortcut.includes(q)) return 1;
    if (c.title.toLowerCase().includes(q)) return 2;
    if (c.body.toLowerCase().includes(q)) return 3;
    return -1;
  };
  return visible
    .map((c) => ({ c, r: rank(c) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || a.c.shortcut.localeCompare(b.c.shortcut))
    .map((x) => x.c);
}

/** What placeholders are filled with: a missing or blank value leaves its placeholder as typed. */
export interface PlaceholderValues {
  'visitor.name'?: string;
  'visitor.firstName'?: string;
  'visitor.email'?: string;
  'operator.name'?: string;
  'operator.firstName'?: string;
}

/** The placeholders a response may use, for the forms' hint. */
export const PLACEHOLDERS = ['visitor.name', 'visitor.firstName', 'visitor.email', 'operator.name', 'operator.firstName'] as const;

/** The values of a chat: first names are the first word of the names. */
export function placeholderValues(input: { visitorName?: string | null; visitorEmail?: string | null; operatorName?: string | null }): PlaceholderValues {
  const first = (name: string | null | undefined) => name?.trim().split(/\s+/)[0] ?? '';
  return {
    'visitor.name': input.visitorName?.trim() ?? '',
    'visitor.firstName': first(input.visitorName),
    'visitor.email': input.visitorEmail?.trim() ?? '',
    'operator.name': input.operatorName?.trim() ?? '',
    'operator.firstName': first(input.operatorName),
  };
}

/** The filled text, and where the placeholders left unfilled are in it (the composer selects the first). */
export interface Filled {
  text: string;
  unfilled: { start: number; end: number }[];
}

/**
 * Fills `{visitor.name}`-style placeholders (spaces inside the braces and the case of the name
 * don't matter). A placeholder we don't know, or one whose value is blank (a visitor who gave no
 * name), stays exactly as typed, so the operator sees it and can fill it in before sending.
 */
export function fillPlaceholders(body: string, values: PlaceholderValues): Filled {
  const known = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v as string | undefined]));
  const unfilled: Filled['unfilled'] = [];
  let text = '';
  let last = 0;
  for (const m of body.matchAll(/\{\s*([A-Za-z]+\.[A-Za-z]+)\s*\}/g)) {
    text += body.slice(last, m.index);
    last = m.index + m[0].length;
    const value = known.get(m[1]!.toLowerCase())?.trim();
    if (value) text += value;
    else {
      unfilled.push({ start: text.length, end: text.length + m[0].length });
      text += m[0];
    }
  }
  return { text: text + body.slice(last), unfilled };
}

/** The composer after inserting a response in place of the `/query` at `at`. */
export interface Inserted {
  text: string;
  /** Where the selection goes: the first unfilled placeholder, or the caret after the insertion. */
  selection: { start: number; end: number };
}

/**
 * Replaces the `/query` at `at` with the response's text (placeholders filled). `trailing` is
 * what the key that expanded it would have typed (a space): it follows the insertion.
 */
export function insertCanned(text: string, at: SlashQuery, response: CannedLike, values: PlaceholderValues, trailing = ''): Inserted {
  const filled = fillPlaceholders(response.body, values);
  const before = text.slice(0, at.start);
  const after = text.slice(at.end);
  const inserted = filled.text + trailing;
  const first = filled.unfilled[0];
  const selection = first
    ? { start: before.length + first.start, end: before.length + first.end }
    : { start: before.length + inserted.length, end: before.length + inserted.length };
  return { text: before + inserted + after, selection };
}
