import { describe, expect, it } from 'vitest';
import { checkVisitorOrigin } from '../../../server/src/features/visitors/origin';
import { allowedOrigins, parseWebsiteOrigin } from '../../../shared/schemas/accounts';

describe('website addresses an admin types (#4)', () => {
  it.each([
    ['https://shop.example.com', 'https://shop.example.com'],
    ['shop.example.com/anything?x=1#top', 'https://shop.example.com'],
    ['  HTTPS://Shop.Example.COM:443/  ', 'https://shop.example.com'],
    ['http://shop.example.com:80', 'http://shop.example.com'],
    ['https://shop.example.com:8443/cart', 'https://shop.example.com:8443'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['127.0.0.1:8080', 'https://127.0.0.1:8080'],
    ['http://[::1]:8080/x', 'http://[::1]:8080'],
    ['bücher.example', 'https://xn--bcher-kva.example'],
    ['*.example.com', 'https://*.example.com'],
    ['http://*.Example.com:8080/', 'http://*.example.com:8080'],
  ])('normalises %j to %j', (input, origin) => {
    expect(parseWebsiteOrigin(input)).toEqual({ ok: true, origin });
  });

  it.each([
    ['', 'Enter a website address like https://shop.example.com'],
    ['not a site', '"not a site" is not a website address; enter one like https://shop.example.com'],
    ['shop', '"shop" is not a website address; enter one like https://shop.example.com'],
    ['null', '"null" is not a website address; enter one like https://shop.example.com'],
    ['example.com.', '"example.com." is not a website address; enter one like https://shop.example.com'],
    ['-shop.example.com', '"-shop.example.com" is not a website address; enter one like https://shop.example.com'],
    ['ftp://files.example.com', '"ftp://files.example.com": only http:// and https:// websites can run the widget'],
    ['javascript://alert(1)', '"javascript://alert(1)": only http:// and https:// websites can run the widget'],
    ['https://user:secret@shop.example.com', '"https://user:secret@shop.example.com": leave out the user name and password'],
    ['https://sh*p.example.com', '"https://sh*p.example.com": a wildcard can only stand for the first part of the name, like https://*.example.com'],
    ['https://*.*.example.com', '"https://*.*.example.com": a wildcard can only stand for the first part of the name, like https://*.example.com'],
    ['*.com', '"*.com": a wildcard needs a domain under it, like https://*.example.com'],
    ['*.10.0.0.1', '"*.10.0.0.1": a wildcard needs a domain under it, like https://*.example.com'],
  ])('refuses %j: %s', (input, message) => {
    expect(parseWebsiteOrigin(input)).toEqual({ ok: false, message });
  });

  it('drops duplicates that only differ before normalising', () => {
    expect(allowedOrigins.parse(['shop.example.com', 'https://SHOP.example.com/', 'https://shop.example.com:443'])).toEqual(['https://shop.example.com']);
  });
});

describe('checkVisitorOrigin', () => {
  const account = { allowedOrigins: ['https://shop.example.com', 'https://*.example.org', 'http://localhost:8080'] };
  const check = (origin: string | undefined, host = 'chat.example.net', publicUrl?: string) =>
    checkVisitorOrigin(account, { headers: { ...(origin === undefined ? {} : { origin }), host } }, { publicUrl })?.message ?? 'allowed';

  it('allows the listed origins and subdomains under a wildcard, nothing next to them', () => {
    expect(check('https://shop.example.com')).toBe('allowed');
    expect(check('http://localhost:8080')).toBe('allowed');
    expect(check('https://eu.example.org')).toBe('allowed');
    for (const origin of [
      'https://shop.example.com:8443',
      'http://shop.example.com',
      'https://shop.example.com.evil.example',
      'https://example.org',
      'https://badexample.org',
      'http://localhost:8081',
      'null',
      'file://',
      'garbage',
    ]) {
      expect(check(origin), origin).toBe('origin_not_allowed');
    }
  });

  it("allows the server's own origin by the Host it was reached at, under the page's scheme", () => {
    expect(check('https://chat.example.net')).toBe('allowed');
    expect(check('http://chat.example.net')).toBe('allowed');
    expect(check('https://chat.example.net', 'chat.example.net:443')).toBe('allowed');
    expect(check('http://127.0.0.1:3000', '127.0.0.1:3000')).toBe('allowed');
    expect(check('http://[::1]:3000', '[::1]:3000')).toBe('allowed');
    expect(check('https://chat.example.net:8443', 'chat.example.net')).toBe('origin_not_allowed');
    expect(check('https://chat.example.net', 'chat.example.net:8443')).toBe('origin_not_allowed');
    // A Host that is not a host:port never matches anything.
    expect(check('https://evil.example', 'evil.example/x')).toBe('origin_not_allowed');
  });

  it("allows PUBLIC_URL's origin whatever Host a proxy sent", () => {
    expect(check('https://chat.example.com', '127.0.0.1:3001', 'https://chat.example.com/sidedesk')).toBe('allowed');
    expect(check('http://chat.example.com', '127.0.0.1:3001', 'https://chat.example.com')).toBe('origin_not_allowed');
  });

  it('lets a client without an Origin header through (any client could send any Origin)', () => {
    expect(check(undefined)).toBe('allowed');
  });
});
