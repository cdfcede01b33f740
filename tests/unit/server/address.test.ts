import { describe, expect, it } from 'vitest';
import { addressKey } from '../../../server/src/limits/address';

describe('addressKey (the key of per-address limits)', () => {
  it('counts every address of one IPv6 /64 as one, however it is written', () => {
    const key = addressKey('2001:db8:1:2::1');
    for (const ip of ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0DB8:0001:0002:0:0:0:9', '[2001:db8:1:2::abcd]', '2001:db8:1:2:1:2:3.4.5.6']) {
      expect(addressKey(ip)).toBe(key);
    }
    expect(key).toBe('2001:db8:1:2::/64');
  });

  it('keeps neighbouring /64s apart', () => {
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('keeps IPv4 addresses whole, also when they arrive IPv4-mapped', () => {
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('::ffff:c000:201')).toBe('192.0.2.1');
    expect(addressKey('192.0.2.2')).not.toBe(addressKey('192.0.2.1'));
  });

  it('puts anything that is not an address under one shared key', () => {
    for (const junk of [undefined, null, '', 'unknown', 'not-an-ip', '1.2.3', '2001:db8::1::2']) expect(addressKey(junk)).toBe('unknown');
  });
});
