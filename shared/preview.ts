/** Longest conversation preview, in user-perceived characters (grapheme clusters), ellipsis included. */
export const PREVIEW_LENGTH = 140;

/** Made on first use: a module without side effects is left out of a bundle that doesn't use it (the widget, #5). */
let graphemes: Intl.Segmenter | undefined;

/**
 * The one preview rule (#4): the first line of `text`, trimmed, at most `max` user-perceived
 * characters, cut ones ending in an ellipsis. The cut falls between grapheme clusters, so it never
 * splits a surrogate pair (half of one made the whole message batch's JSON unreadable to
 * PostgreSQL), nor an emoji with its skin tone, a family joined by zero-width joiners, or a letter
 * from its combining accents.
 */
export function previewOf(text: string, max = PREVIEW_LENGTH): string {
  const line = text.split('\n', 1)[0]!.trim();
  // Never more clusters than UTF-16 units: a short line needs no segmenting (the server's hot path).
  if (line.length <= max) return line;
  let count = 0;
  let cut = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { index } of graphemes.segment(line)) {
    if (count === max - 1) cut = index; // where the last kept cluster ends and the ellipsis goes
    if (++count > max) return `${line.slice(0, cut).trimEnd()}…`;
  }
  return line;
}

/**
 * A message's preview (#5, P7): its text, or for a file sent without a caption "📎 <file name>".
 * The server stores it on the conversation; clients use it for what they show before chat:updated.
 */
export function previewOfMessage(m: { body: string; file?: { name: string } | null }, max = PREVIEW_LENGTH): string {
  return previewOf(!m.body.trim() && m.file ? `📎 ${m.file.name}` : m.body, max);
}
