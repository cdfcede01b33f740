import proxyaddr from 'proxy-addr';

/**
 * TRUST_PROXY as configured (#4): `false` (the socket's peer is the client), a hop count (that
 * many proxies in front, each appending to X-Forwarded-For), or the proxies' own addresses and
 * CIDRs. Never "trust everything": the leftmost X-Forwarded-For entry is whatever the client sent.
 */
export type TrustProxy = false | number | string[];

export type ProxyTrust = (address: string, hop: number) => boolean;

const trustNone: ProxyTrust = () => false;
const compiled = new Map<string, ProxyTrust>();

/**
 * The trust function for `setting`, the same one for Express (`trust proxy`, so `req.ip`) and for
 * the Socket.IO handshake ({@link forwardedClientIp}). Throws TypeError on a bad address.
 */
export function proxyTrust(setting: TrustProxy): ProxyTrust {
  if (setting === false) return trustNone;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  const key = setting.join(',');
  let trust = compiled.get(key);
  if (!trust) compiled.set(key, (trust = proxyaddr.compile(setting)));
  return trust;
}

/** The client's address behind the trusted proxies: X-Forwarded-For is read from the right, up to the first untrusted hop. */
export function forwardedClientIp(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, setting: TrustProxy): string | undefined {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  return proxyaddr({ headers: { 'x-forwarded-for': header }, socket: { remoteAddress } }, proxyTrust(setting));
}
