/**
 * Links in chat messages (P10, #6), for the panel and the widget alike: the text cut into plain
 * parts and links. Only http(s) and mailto become links (`www.` gets https); `javascript:`,
 * `data:` and every other scheme stay text. Callers build DOM nodes from the parts (an <a> with
 * textContent, rel="noopener noreferrer", target="_blank"), never HTML. Small on purpose: the
 * widget carries it within its 30 KB.
 */

/** A piece of a message: plain text, or a link with the address it opens (`href`). */
export interface TextPart {
  text: string;
  href?: string;
}

const OPENERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** The parts of `text`, in order; joined, their texts are `text` again. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  // exec, not matchAll, and no .at(): the widget runs on older browsers than the panel (es2019).
  // A candidate starts at a word boundary; it runs to white space or a character no URL needs.
  const re = /\b(?:https?:\/\/|mailto:|www\.)[^\s<>"]+/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let url = m[0];
    // Sentence punctuation after a link is not part of it, nor a bracket it doesn't open.
    for (;;) {
      const end = url[url.length - 1]!;
      const open = OPENERS[end];
      if (/[.,:;!?'*]/.test(end) || (open && url.split(open).length <= url.split(end).length - 1)) url = url.slice(0, -1);
      else break;
    }
    const href = safeHref(url);
    if (!href) continue;
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    parts.push({ text: url, href });
    last = m.index + url.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** The address a link opens, or null when it is not an http(s) or mailto URL we can parse. */
function safeHref(url: string): string | null {
  try {
    const u = new URL(/^www\./i.test(url) ? `https://${url}` : url);
    if (u.protocol === 'mailto:' ? u.pathname.length > 0 : /^https?:$/.test(u.protocol) && u.hostname) return u.href;
  } catch {
    // not a URL: stays text
  }
  return null;
}
