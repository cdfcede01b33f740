import type { PGlite, Transaction } from '@electric-sql/pglite';

/**
 * `SELECT * FROM <fn>(<json>::jsonb)` on PGlite as one simple-protocol call, the JSON as a
 * dollar-quoted literal: a parameterised query costs PGlite six calls into its WASM (#3).
 * `fn` is a trusted name from our own code, never input.
 */
export async function callJsonOnPglite<R>(pg: PGlite | Transaction, fn: string, json: string): Promise<R[]> {
  const [result] = await pg.exec(`SELECT * FROM ${fn}(${dollarQuoted(json)}::jsonb)`);
  return (result?.rows ?? []) as R[];
}

/** `text` as a PostgreSQL dollar-quoted literal, with a tag that does not occur in it (so nothing in `text` can end it). */
export function dollarQuoted(text: string): string {
  let tag = '$j$';
  for (let i = 0; text.includes(tag); i++) tag = `$j${i}$`;
  return `${tag}${text}${tag}`;
}
