import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VisitorTokens } from '../../../server/src/features/visitors/token';

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
});
