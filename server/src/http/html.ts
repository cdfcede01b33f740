import { createHash } from 'node:crypto';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
  :root { color-scheme: light dark; --accent: #2563eb; --muted: #6b7280; --border: #d1d5db; --error: #b91c1c; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; display: grid; place-items: start center; min-height: 100vh; padding: 2rem 1rem; }
  main { width: 100%; max-width: 28rem; }
  h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
  p.lead { color: var(--muted); margin: 0 0 1.5rem; }
  label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
  .hint { font-weight: 400; color: var(--muted); font-size: .875rem; }
  input { width: 100%; padding: .6rem .7rem; font: inherit; border: 1px solid var(--border); border-radius: .4rem; background: transparent; color: inherit; }
  input:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
  input[aria-invalid="true"] { border-color: var(--error); }
  button { margin-top: 1.5rem; width: 100%; padding: .7rem; font: inherit; font-weight: 600; color: #fff; background: var(--accent); border: 0; border-radius: .4rem; cursor: pointer; }
  .error { color: var(--error); font-size: .875rem; margin: .25rem 0 0; }
  .alert { border: 1px solid var(--error); color: var(--error); border-radius: .4rem; padding: .75rem; }
  code { font-size: .9em; word-break: break-all; }
  ul { padding-left: 1.2rem; }
`;

/** The CSP source that allows exactly the inline stylesheet of {@link page} (http/headers.ts). */
export const PAGE_STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** A complete, small, self-contained HTML page (inline CSS, no scripts). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}
