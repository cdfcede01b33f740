import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/src/config';

describe('TRUST_PROXY (#4)', () => {
  it('refuses true, saying what to write instead', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: .*X-Forwarded-For.*TRUST_PROXY=1.*TRUST_PROXY=127\.0\.0\.1/s);
    expect(() => loadConfig({ TRUST_PROXY: 'TRUE' })).toThrow(/TRUST_PROXY=1/);
  });

  it('accepts a hop count, a list of addresses and CIDRs, or nothing', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.5, 10.1.0.0/16 ,loopback,::1' }).trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16', 'loopback', '::1']);
  });

  it('refuses an entry that is not an address, naming it', () => {
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.5, nginx' })).toThrow(/TRUST_PROXY: invalid IP address: nginx/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(/invalid range/);
    expect(() => loadConfig({ TRUST_PROXY: '-1' })).toThrow(/TRUST_PROXY/);
  });
});
