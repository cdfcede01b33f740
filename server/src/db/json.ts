/**
 * JSON text that PostgreSQL's `::jsonb` accepts whatever strings it carries (#4). Only
 * {@link jsonArgument} makes one, so a statement taking a JSON argument (Database.callJson, the
 * `append_messages` call) cannot be handed a raw `JSON.stringify`.
 */
export type JsonArgument = string & { readonly __jsonArgument: true };

/**
 * A string PostgreSQL can hold: NUL dropped (`\u0000` is refused by jsonb and by text) and every
 * lone UTF-16 surrogate replaced by U+FFFD (JSON.stringify writes it as a `\udXXX` escape, which
 * jsonb refuses). The schemas clean text at the edge already (`text()` in shared/schemas/common.ts);
 * this is the guard at the database edge, whatever a caller built (a cut preview did, #4).
 */
export function storableText(s: string): string {
  return (s.includes('\0') ? s.replaceAll('\0', '') : s).toWellFormed();
}

/**
 * `JSON.stringify(value)` with every string value and key made storable (see {@link storableText}):
 * one bad string can no longer fail the statement, and with it every message of a batch.
 */
export function jsonArgument(value: unknown): JsonArgument {
  return JSON.stringify(value, storableReplacer) as JsonArgument;
}

function storableReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'string') return storableText(v);
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    // Keys are ours today; a key from input would be cleaned the same way.
    for (const k of Object.keys(v)) {
      if (storableText(k) !== k) return Object.fromEntries(Object.entries(v).map(([key, x]) => [storableText(key), x]));
    }
  }
  return v;
}
