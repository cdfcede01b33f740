import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VISITOR_TOKEN_TTL_MS, VisitorTokens } from '../../../server/src/features/visitors/token';

const DAY = 24 * 3600_000;

describe('VisitorTokens', () => {
  const tokens = new VisitorTokens(randomBytes(32));
  const account = randomUUID();
  const visitor = randomUUID();

  it('verifies its own token for the account it was issued for', () => {
    expect(tokens.verify(account, tokens.sign(account, visitor))).toBe(visitor);
  });

  it('rejects the token on another account, under another key, or tampered with', () => {
    const token = tokens.sign(account, visitor);
    expect(tokens.verify(randomUUID(), token)).toBeNull();
    expect(new VisitorTokens(randomBytes(32)).verify(account, token)).toBeNull();
    const [id, sig] = token.split('.') as [string, string];
    const otherId = tokens.sign(account, randomUUID()).split('.')[0];
    expect(tokens.verify(account, `${otherId}.${sig}`)).toBeNull();
    expect(tokens.verify(account, `${id}.${sig.slice(1)}`)).toBeNull();
    expect(tokens.verify(account, `${id}.${sig}.x`)).toBeNull();
    expect(tokens.verify(account, undefined)).toBeNull();
  });

  // #4: Node's base64url decoder skips characters it doesn't know and ignores the spare bits of
  // the last character, so one token had many spellings that all verified.
  it('accepts only the canonical spelling of a token: no trailing junk, padding or other spare bits', () => {
    const token = tokens.sign(account, visitor);
    const [payload, mac] = token.split('.') as [string, string];
    const variants = [
      `${token}=`,
      `${token}==`,
      `${token}!`,
      `${token} `,
      `${payload}.${mac}A`,
      `${payload}=.${mac}`,
      `${payload}*.${mac}`,
      ` ${token}`,
      `${payload}.${mac.replace(/.$/, (c) => String.fromCharCode(c.charCodeAt(0) ^ 1))}`,
      // The same bytes with other unused low bits in the last character of each part.
      `${payload.slice(0, -1)}${nextSameBytes(payload)}.${mac}`,
      `${payload}.${mac.slice(0, -1)}${nextSameBytes(mac)}`,
    ];
    // The spare-bit spellings really are the same bytes to a lenient decoder.
    expect(Buffer.from(variants.at(-2)!.split('.')[0]!, 'base64url')).toEqual(Buffer.from(payload, 'base64url'));
    expect(Buffer.from(variants.at(-1)!.split('.')[1]!, 'base64url')).toEqual(Buffer.from(mac, 'base64url'));
    for (const variant of variants) expect(tokens.verify(account, variant), variant).toBeNull();
    expect(tokens.verify(account, token)).toBe(visitor);
  });

  it('expires after its lifetime, and a token signed later lives on from then', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clocked = new VisitorTokens(randomBytes(32), { now: () => now });
    const first = clocked.sign(account, visitor);
    now += VISITOR_TOKEN_TTL_MS - DAY;
    expect(clocked.verify(account, first)).toBe(visitor);
    // Using it (a connect re-signs it) renews it: the new token is good for the whole lifetime again.
    const renewed = clocked.sign(account, visitor);
    now += 2 * DAY;
    expect(clocked.verify(account, first)).toBeNull();
    expect(clocked.verify(account, renewed)).toBe(visitor);
    now += VISITOR_TOKEN_TTL_MS - 2 * DAY;
    expect(clocked.verify(account, renewed)).toBeNull();
  });

  it('carries the expiry inside the signature: moving it forward breaks the token', () => {
    const token = tokens.sign(account, visitor);
    const [payload, mac] = token.split('.') as [string, string];
    const bytes = Buffer.from(payload, 'base64url');
    bytes.writeUInt32BE(bytes.readUInt32BE(16) + 365 * 24 * 3600, 16);
    expect(tokens.verify(account, `${bytes.toString('base64url')}.${mac}`)).toBeNull();
  });
});

/** The last character of `part` changed in bits the decoder throws away (same bytes, other spelling). */
function nextSameBytes(part: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(part.at(-1)!);
  const spareBits = part.length % 4 === 3 ? 2 : 4; // the last group holds 2 bytes or 1
  return alphabet[last ^ ((1 << spareBits) - 1)]!;
}
