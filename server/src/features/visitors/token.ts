import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Visitor tokens: `<base64url visitor uuid>.<base64url HMAC-SHA256>` signed with the install's
 * secret (stored in the database, so every node agrees). The signature covers the account id
 * too, so a token is only good on the account that issued it. Unforgeable by the site's page:
 * knowing a visitor id is not enough without the 256-bit MAC.
 */
export class VisitorTokens {
  constructor(private readonly key: Buffer) {}

  /** Issues the token of `visitorId` on `accountId`. */
  sign(accountId: string, visitorId: string): string {
    const id = Buffer.from(visitorId.replaceAll('-', ''), 'hex').toString('base64url');
    return `${id}.${this.mac(accountId, visitorId).toString('base64url')}`;
  }

  /** The visitor id if `token` is genuine and issued for `accountId`; otherwise null. */
  verify(accountId: string, token: string | undefined): string | null {
    if (!token || token.length > 200) return null;
    const [id, sig, extra] = token.split('.');
    if (!id || !sig || extra !== undefined) return null;
    const raw = Buffer.from(id, 'base64url');
    if (raw.length !== 16) return null;
    const hex = raw.toString('hex');
    const visitorId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    const expected = this.mac(accountId, visitorId);
    const given = Buffer.from(sig, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected) ? visitorId : null;
  }

  private mac(accountId: string, visitorId: string): Buffer {
    return createHmac('sha256', this.key).update(`visitor:v1:${accountId}:${visitorId}`).digest();
  }
}
