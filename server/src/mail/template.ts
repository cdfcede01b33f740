/**
 * Mail bodies in both parts from one template (#5): `mailBody` is a tagged template whose text
 * is written as plain text; the HTML part is that same text with EVERY part escaped — the
 * values (names, questions, anything a visitor typed) and the template's own words — then blank
 * lines made paragraphs and line breaks `<br>`. No markup can come from a value, so none needs
 * sanitising; the only markup is the server's own (`<p>`, `<br>`, and `link()`'s `<a>`).
 *
 *   const body = mailBody`Hello ${name},
 *
 *   ${visitor} asked: ${question}
 *   ${link(chatUrl, 'Open the conversation')}`;
 *   await sendMail(ctx, { accountId, to, subject, ...body });
 */

/** A link in a mail: `<a href>` in HTML, "label: url" in text. Only http(s) addresses. */
export interface MailLink {
  readonly href: string;
  readonly label: string;
}

export type MailValue = string | number | MailLink;

export interface MailBody {
  text: string;
  html: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value: `& < > " '` escaped. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A link value for {@link mailBody}; throws for anything but an http(s) URL (no `javascript:`). */
export function link(href: string, label?: string): MailLink {
  const url = new URL(href);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`Mail links must be http(s), not ${url.protocol}`);
  return { href: url.href, label: (label ?? url.href).replace(/\s+/g, ' ').trim() };
}

function isLink(v: MailValue): v is MailLink {
  return typeof v === 'object' && v !== null && 'href' in v;
}

/** Builds the text and HTML parts of a mail (see the top of this file). */
export function mailBody(strings: TemplateStringsArray, ...values: MailValue[]): MailBody {
  let text = '';
  let html = '';
  strings.forEach((literal, i) => {
    text += literal;
    html += escapeHtml(literal);
    if (i >= values.length) return;
    const v = values[i]!;
    if (isLink(v)) {
      text += v.label === v.href ? v.href : `${v.label}: ${v.href}`;
      html += `<a href="${escapeHtml(v.href)}">${escapeHtml(v.label)}</a>`;
    } else {
      text += String(v);
      html += escapeHtml(String(v));
    }
  });
  text = text.replace(/\r\n?/g, '\n').trim();
  const paragraphs = html
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n[ \t]*\n\s*/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>\n')}</p>`);
  return {
    text,
    html: `<!doctype html>\n<html><head><meta charset="utf-8"></head>\n<body style="font-family: system-ui, sans-serif; line-height: 1.5">\n${paragraphs.join('\n')}\n</body></html>\n`,
  };
}
