import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../../config';
import type { AccountRow } from '../../db/schema/accounts';

/** The page a widget runs on, as its browser names it in the handshake's `Origin` header. */
interface PageOrigin {
  /** `https:` */
  protocol: string;
  /** `shop.example.com` */
  hostname: string;
  /** `shop.example.com:8443`; the port only when it isn't the scheme's default. */
  host: string;
  /** `https://shop.example.com:8443` */
  origin: string;
}

function pageOrigin(header: string): PageOrigin | null {
  try {
    const url = new URL(header);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return { protocol: url.protocol, hostname: url.hostname, host: url.host, origin: url.origin };
  } catch {
    return null; // "null" (sandboxed frames, file: pages) and anything else that isn't an origin
  }
}

/**
 * Whether `allowed` (normalised by shared/schemas/accounts.ts) covers the page: the same origin,
 * or for `https://*.example.com` a page on any subdomain of example.com with the same scheme and
 * port (example.com itself is not covered: list it too).
 */
function originMatches(allowed: string, page: PageOrigin): boolean {
  const wildcard = /^(https?:)\/\/\*\.(.+)$/.exec(allowed);
  if (!wildcard) return allowed === page.origin;
  const [, protocol, rest] = wildcard as unknown as [string, string, string];
  const base = pageOrigin(`${protocol}//${rest}`);
  if (!base || page.protocol !== protocol) return false;
  const port = (o: PageOrigin) => o.host.slice(o.hostname.length);
  return page.hostname.endsWith(`.${base.hostname}`) && port(page) === port(base);
}

/**
 * The server's own origin (its /demo/ site, always allowed). Two ways to know it:
 * - `PUBLIC_URL`'s origin, when set: the address the outside world uses;
 * - the handshake's `Host` header: a browser sends the host:port it connected to, and a page
 *   can't change it, so a page whose origin has that host:port was served by this server.
 *   (Compared under the page's scheme: a proxy terminating TLS hands us plain HTTP, so the
 *   request's own scheme says nothing.)
 * Behind a reverse proxy, `Host` is whatever the proxy sends: the sample nginx config passes
 * `$host` (the name, without a port), which matches pages on the default port; a proxy that
 * sends its upstream address (`127.0.0.1:3001`), or a public port that isn't the default, matches
 * only through PUBLIC_URL. `X-Forwarded-Host` is never read: no proxy of ours promises to
 * overwrite it, so whoever connects could claim any host in it.
 */
function isOwnOrigin(page: PageOrigin, hostHeader: string | undefined, publicUrl: string | undefined): boolean {
  if (publicUrl && pageOrigin(publicUrl)?.origin === page.origin) return true;
  if (!hostHeader || !/^[a-z0-9.\-:[\]]+$/i.test(hostHeader)) return false;
  return pageOrigin(`${page.protocol}//${hostHeader}`)?.host === page.host;
}

/** The connect_error a refused widget gets: `message` is the code, `data.message` says what to do. */
export class OriginNotAllowed extends Error {
  readonly data: { code: 'origin_not_allowed'; origin: string; message: string };
  constructor(origin: string) {
    super('origin_not_allowed');
    this.data = {
      code: 'origin_not_allowed',
      origin,
      message: `This site (${origin}) is not in the account's allowed website addresses; an admin can add it in the Sidedesk extension's options.`,
    };
  }
}

/**
 * #4: may this widget handshake run the account's widget? Judged by the page's `Origin` header:
 * the server's own pages and the account's allowed origins may; every other origin, `null`
 * included, gets {@link OriginNotAllowed}. A client that sends no `Origin` at all is not a page
 * of another website (browsers always send it on WebSocket handshakes and cross-origin requests;
 * only a same-origin long-polling request may leave it out, and that page is our own): it is let
 * through, because a script could as well send any Origin it likes. This check keeps other
 * websites from running the widget in their visitors' browsers; it is not authentication.
 */
export function checkVisitorOrigin(
  account: Pick<AccountRow, 'allowedOrigins'>,
  handshake: { headers: IncomingHttpHeaders },
  config: Pick<Config, 'publicUrl'>,
): OriginNotAllowed | null {
  const header = handshake.headers.origin;
  if (header === undefined) return null;
  const page = pageOrigin(header);
  if (page && (isOwnOrigin(page, handshake.headers.host, config.publicUrl) || account.allowedOrigins.some((a) => originMatches(a, page)))) return null;
  return new OriginNotAllowed(header.slice(0, 200));
}
