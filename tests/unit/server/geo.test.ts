import { describe, expect, it } from 'vitest';
import { clientIp, lookupGeo, parseUserAgent } from '../../../server/src/features/visitors/geo';

describe('lookupGeo', () => {
  it('finds the country of a known public address', () => {
    expect(lookupGeo('8.8.8.8').country).toBe('US');
  });

  it('answers nothing for loopback, private and malformed addresses', () => {
    for (const ip of ['127.0.0.1', '::1', '10.1.2.3', '192.168.0.10', '172.20.0.1', 'fd00::1', 'not an ip', null]) {
      expect(lookupGeo(ip)).toEqual({ country: null, region: null, city: null });
    }
  });
});

describe('clientIp', () => {
  it('uses the socket address unless a proxy is trusted', () => {
    expect(clientIp('::ffff:127.0.0.1', '8.8.8.8', false)).toBe('127.0.0.1');
  });

  it('with N trusted hops takes the address the Nth proxy from the end saw', () => {
    expect(clientIp('10.0.0.1', '6.6.6.6, 8.8.8.8', 1)).toBe('8.8.8.8');
    expect(clientIp('10.0.0.1', '6.6.6.6, 8.8.8.8, 10.0.0.2', 2)).toBe('8.8.8.8');
    expect(clientIp('10.0.0.1', undefined, 1)).toBe('10.0.0.1');
    expect(clientIp('10.0.0.1', 'garbage', 1)).toBeNull();
  });

  it('never takes the leftmost entry a client wrote itself (#4)', () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the address it saw.
    expect(clientIp('127.0.0.1', '1.2.3.4, 8.8.8.8', 1)).toBe('8.8.8.8');
    expect(clientIp('127.0.0.1', '1.2.3.4, 8.8.8.8', ['loopback'])).toBe('8.8.8.8');
    expect(clientIp('127.0.0.1', ['1.2.3.4', '8.8.8.8'], ['127.0.0.1'])).toBe('8.8.8.8');
  });

  it('with a list trusts only those proxies, walking from the socket outwards', () => {
    expect(clientIp('10.0.0.5', '6.6.6.6, 8.8.8.8, 10.1.2.3', ['10.0.0.5', '10.1.0.0/16'])).toBe('8.8.8.8');
    // A peer that is not a listed proxy is the client, whatever it claims.
    expect(clientIp('9.9.9.9', '6.6.6.6, 8.8.8.8', ['10.0.0.5', '10.1.0.0/16'])).toBe('9.9.9.9');
    expect(clientIp('::ffff:10.0.0.5', '2001:db8::1', ['10.0.0.0/8'])).toBe('2001:db8::1');
  });
});

describe('parseUserAgent', () => {
  it('names the browser with its major version and the platform', () => {
    expect(parseUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.60 Safari/537.36')).toEqual({
      browser: 'Chrome 124',
      platform: 'Windows 10',
    });
    expect(parseUserAgent(undefined)).toEqual({ browser: null, platform: null });
  });
});
