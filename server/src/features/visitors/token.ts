import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a visitor token stays good without use; every connect issues a fresh one (#4). */
export const VISITOR_TOKEN_TTL_MS = 180 * 24 * 3600_000;

const ID_BYTES = 16;
const PAYLOAD_BYTES = ID_BYTES + 4;
const MAC_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface VisitorTokenOptions {
  /** The clock (tests move it). */
  now?: () => number;
  ttlMs?: number;
}

/**
 * Visitor tokens: `<payload>.<mac>`, both base64url without padding. The payload is the visitor's
 * uuid (16 bytes) and the token's expiry (uint32, seconds since 1970); the mac is HMAC-SHA256 over
 * the account id and the payload, with the install's secret (stored in the database, so every node
 * agrees). So a token is only good on the account that issued it, until its expiry, and can't be
 * forged by the site's page: knowing a visitor id is not enough without the 256-bit MAC.
 *
 * #4: decoding is strict. Base64url decoders skip characters they don't know and ignore the unused
 * bits of the last one, so several strings decode to the same bytes; only the one canonical
 * encoding is accepted (decode, encode again, compare). A visitor's tokens stop working when they
 * expire (every `session:started` hands out a new one, so a returning visitor keeps theirs fresh) or
 * when the visitor is forgotten (the row is gone: the token then resolves to nothing).
 */
export class VisitorTokens {
  private readonly now: () => number;
  private readonly ttlMs: number;

  constructor(
    private readonly key: Buffer,
    options: VisitorTokenOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? VISITOR_TOKEN_TTL_MS;
  }

  /** Issues a token of `visitorId` on `accountId`, good for the TTL from now. */
  sign(accountId: string, visitorId: string): string {
    const payload = Buffer.alloc(PAYLOAD_BYTES);
    Buffer.from(visitorId.replaceAll('-', ''), 'hex').copy(payload);
    payload.writeUInt32BE(Math.floor((this.now() + this.ttlMs) / 1000), ID_BYTES);
    return `${payload.toString('base64url')}.${this.mac(accountId, payload).toString('base64url')}`;
  }

  /** The visitor id if `token` is canonical, genuine, issued for `accountId` and not expired; otherwise null. */
  verify(accountId: string, token: string | undefined): string | null {
    if (!token || token.length > 200) return null;
    const parts = token.split('.');
    if (parts.length !== 2) return null;
    const payload = strictBase64url(parts[0]!, PAYLOAD_BYTES);
    const given = strictBase64url(parts[1]!, MAC_BYTES);
    if (!payload || !given || !timingSafeEqual(given, this.mac(accountId, payload))) return null;
    if (payload.readUInt32BE(ID_BYTES) * 1000 <= this.now()) return null;
    const hex = payload.subarray(0, ID_BYTES).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  private mac(accountId: string, payload: Buffer): Buffer {
    return createHmac('sha256', this.key).update(`visitor:v2:${accountId}:`).update(payload).digest();
  }
}

/** The bytes of `text` if it is the canonical unpadded base64url encoding of exactly `length` bytes. */
function strictBase64url(text: string, length: number): Buffer | null {
  if (!BASE64URL.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.length === length && bytes.toString('base64url') === text ? bytes : null;
}
