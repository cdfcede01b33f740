import { z } from 'zod';
import { atMost } from './common';

/** How many website addresses one account may list (#4): plenty for a shop with regional sites. */
export const MAX_ALLOWED_ORIGINS = 100;

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const EXAMPLE = 'https://shop.example.com';

export type ParsedOrigin = { ok: true; origin: string } | { ok: false; message: string };

/**
 * What an admin typed → the origin a browser sends in its `Origin` header (`scheme://host[:port]`,
 * lower case, punycode, default port dropped), or why it isn't one (#4). Accepts
 * `https://shop.example.com`, `shop.example.com/any/page` (https assumed, the path ignored),
 * `http://localhost:3000`, and one explicit wildcard form, `https://*.example.com`: every
 * subdomain of example.com (not example.com itself), as Chatwoot and LiveChat users expect.
 */
export function parseWebsiteOrigin(input: string): ParsedOrigin {
  const typed = input.trim();
  const shown = typed.length > 60 ? `${typed.slice(0, 57)}…` : typed;
  const junk: ParsedOrigin = { ok: false, message: `"${shown}" is not a website address; enter one like ${EXAMPLE}` };
  if (!typed) return { ok: false, message: `Enter a website address like ${EXAMPLE}` };
  const withScheme = SCHEME.test(typed) ? typed : `https://${typed}`;
  const scheme = withScheme.slice(0, withScheme.indexOf('://')).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return { ok: false, message: `"${shown}": only http:// and https:// websites can run the widget` };

  let rest = withScheme.slice(scheme.length + 3);
  const wildcard = rest.startsWith('*.');
  if (wildcard) rest = rest.slice(2);
  let url: URL;
  try {
    url = new URL(`${scheme}://${rest}`);
  } catch {
    return junk;
  }
  if (url.username || url.password) return { ok: false, message: `"${shown}": leave out the user name and password` };
  const host = url.hostname;
  const ip = host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(host);
  const labels = host.split('.');
  if (!ip && !labels.every((l) => LABEL.test(l))) {
    return host.includes('*')
      ? { ok: false, message: `"${shown}": a wildcard can only stand for the first part of the name, like https://*.example.com` }
      : junk;
  }
  if (wildcard && (ip || labels.length < 2)) {
    return { ok: false, message: `"${shown}": a wildcard needs a domain under it, like https://*.example.com` };
  }
  // A single word is a typo, not a website ("shop", "null"); localhost is the one exception.
  if (!ip && labels.length < 2 && host !== 'localhost') return junk;
  return { ok: true, origin: `${scheme}://${wildcard ? '*.' : ''}${url.host}` };
}

/** One allowed website address, normalised (see {@link parseWebsiteOrigin}); junk is refused with a message. */
export const websiteOrigin = z
  .string('Enter a website address like https://shop.example.com')
  .max(2048, atMost(2048))
  .transform((s, ctx) => {
    const parsed = parseWebsiteOrigin(s);
    if (parsed.ok) return parsed.origin;
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  });

/** The websites an account's widget may run on (#4); duplicates after normalising are dropped. */
export const allowedOrigins = z
  .array(websiteOrigin)
  .max(MAX_ALLOWED_ORIGINS, `At most ${MAX_ALLOWED_ORIGINS} website addresses`)
  .transform((list) => [...new Set(list)]);

/** P3: how long a visitor may give no input before their chat (or row) shows as idle, in minutes. */
export const IDLE_AFTER_MINUTES = { min: 1, max: 120, fallback: 5 } as const;
export const idleAfterMinutes = z
  .number('Enter the idle time as a number of minutes')
  .int('Enter the idle time in whole minutes')
  .min(IDLE_AFTER_MINUTES.min, `The idle time is at least ${IDLE_AFTER_MINUTES.min} minute`)
  .max(IDLE_AFTER_MINUTES.max, `The idle time is at most ${IDLE_AFTER_MINUTES.max} minutes`);

/** PATCH /api/account/settings — admins only; absent fields stay as they are. */
export const accountSettingsPatch = z.object({
  allowedOrigins: allowedOrigins.optional(),
  idleAfterMinutes: idleAfterMinutes.optional(),
  /** W4: operators may monitor chats not theirs (and whisper into them); off: supervisors and admins only. */
  operatorsMayMonitor: z.boolean('Choose yes or no').optional(),
});
export type AccountSettingsPatch = z.input<typeof accountSettingsPatch>;

/** GET/PATCH /api/account/settings. */
export interface AccountSettingsView {
  /**
   * Origins (`https://shop.example.com`, `https://*.example.com`) whose pages may run the widget.
   * The server's own pages (the demo site) are always allowed and not listed.
   */
  allowedOrigins: string[];
  /** P3: minutes without visitor input after which a chat shows as idle. */
  idleAfterMinutes: number;
  /** W4: whether operators too may monitor chats not theirs and whisper into them (supervisors and admins always may). */
  operatorsMayMonitor: boolean;
}
