import { createRequire } from 'node:module';
import net from 'node:net';
import UAParser from 'ua-parser-js';
import { forwardedClientIp, type TrustProxy } from '../../http/proxy';

type GeoIp = typeof import('geoip-lite');
let geoip: GeoIp | undefined;

export interface GeoLocation {
  country: string | null;
  region: string | null;
  city: string | null;
}

const NOWHERE: GeoLocation = { country: null, region: null, city: null };

/**
 * Country/region/city of an IP from geoip-lite's offline database. The database is ~200 MB in
 * memory and loads synchronously, so it is loaded on the first public address, once; loopback
 * and private addresses never load it.
 */
export function lookupGeo(ip: string | null): GeoLocation {
  if (!ip || !net.isIP(ip) || isPrivate(ip)) return NOWHERE;
  geoip ??= createRequire(import.meta.url)('geoip-lite') as GeoIp;
  const hit = geoip.lookup(ip);
  if (!hit) return NOWHERE;
  return { country: hit.country || null, region: hit.region || null, city: hit.city || null };
}

function isPrivate(ip: string): boolean {
  if (net.isIPv4(ip)) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  const v6 = ip.toLowerCase();
  return v6 === '::1' || v6 === '::' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80');
}

/**
 * The visitor's address: the socket's own, or behind trusted proxies the X-Forwarded-For entry
 * the last trusted one vouches for (http/proxy.ts, the rule Express uses for `req.ip`).
 * IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is returned as plain IPv4.
 */
export function clientIp(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trustProxy: TrustProxy): string | null {
  let ip = forwardedClientIp(remoteAddress, forwardedFor, trustProxy) ?? null;
  if (ip?.startsWith('::ffff:') && net.isIPv4(ip.slice(7))) ip = ip.slice(7);
  return ip && net.isIP(ip) ? ip : null;
}

/** Browser ("Firefox 128") and platform ("Android 14, mobile") from a User-Agent. */
export function parseUserAgent(userAgent: string | undefined): { browser: string | null; platform: string | null } {
  if (!userAgent) return { browser: null, platform: null };
  const ua = new UAParser(userAgent).getResult();
  const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' ') || null;
  const major = ua.browser.version?.split('.')[0];
  const os = join(ua.os.name, ua.os.version);
  const device = ua.device.type; // mobile, tablet, …; undefined on desktops
  return { browser: join(ua.browser.name, major), platform: os && device ? `${os}, ${device}` : os };
}
