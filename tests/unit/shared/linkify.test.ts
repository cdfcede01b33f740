/**
 * P10 (#6): links in messages (shared/linkify.ts, panel and widget). Only http(s) and mailto
 * become links; everything else, hostile or not, stays text, and the parts always join back into
 * the message exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linkify } from '../../../shared/linkify';

const links = (text: string) => linkify(text).filter((p) => p.href);

describe('linkify', () => {
  it('links http, https, www. and mailto addresses, and leaves the rest as text', () => {
    expect(linkify('See https://acme.test/pricing?plan=pro#eu now')).toEqual([
      { text: 'See ' },
      { text: 'https://acme.test/pricing?plan=pro#eu', href: 'https://acme.test/pricing?plan=pro#eu' },
      { text: ' now' },
    ]);
    expect(links('http://a.test')).toEqual([{ text: 'http://a.test', href: 'http://a.test/' }]);
    expect(links('go to www.acme.test/faq')).toEqual([{ text: 'www.acme.test/faq', href: 'https://www.acme.test/faq' }]);
    expect(links('write mailto:help@acme.test')).toEqual([{ text: 'mailto:help@acme.test', href: 'mailto:help@acme.test' }]);
    expect(links('HTTPS://ACME.TEST')).toEqual([{ text: 'HTTPS://ACME.TEST', href: 'https://acme.test/' }]);
  });

  it('leaves sentence punctuation and unopened brackets out of the link, and keeps balanced ones', () => {
    expect(links('Is it https://acme.test/a?')[0]!.text).toBe('https://acme.test/a');
    expect(links('(see https://acme.test/b).')[0]!.text).toBe('https://acme.test/b');
    expect(links('https://en.wikipedia.test/wiki/Rust_(language), then')[0]!.text).toBe('https://en.wikipedia.test/wiki/Rust_(language)');
    expect(links('"https://acme.test/q"')[0]!.text).toBe('https://acme.test/q');
    expect(links('two: https://a.test, https://b.test!').map((p) => p.text)).toEqual(['https://a.test', 'https://b.test']);
  });

  it('never links javascript:, data:, vbscript:, file: or other schemes, however they are written', () => {
    for (const hostile of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'java\tscript:alert(1)',
      ' javascript://%0Aalert(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://acme.test',
      'xhttps://acme.test',
      'mailto:',
      'https://',
      'www.',
    ]) {
      expect(linkify(hostile), hostile).toEqual([{ text: hostile }]);
    }
    expect(linkify('javascript:https://acme.test')).toEqual([{ text: 'javascript:' }, { text: 'https://acme.test', href: 'https://acme.test/' }]);
    // A URL inside a hostile one is linked on its own: the javascript: part stays text.
    expect(linkify("javascript:alert('https://acme.test')")).toEqual([
      { text: "javascript:alert('" },
      { text: 'https://acme.test', href: 'https://acme.test/' },
      { text: "')" },
    ]);
  });

  it('stops a link at quotes and angle brackets, so nothing can close an attribute or open a tag', () => {
    expect(links('https://acme.test/"onmouseover="alert(1)')[0]).toEqual({ text: 'https://acme.test/', href: 'https://acme.test/' });
    expect(links('https://acme.test/<script>alert(1)</script>')[0]!.text).toBe('https://acme.test/');
    // What is linked is encoded by the URL parser: no raw space, quote or bracket in an href.
    expect(links("https://acme.test/a'b`c{d}")[0]!.href).not.toMatch(/[\s"<>`{}]/);
  });

  it('always gives back the whole message, in order (any text)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.constantFrom('https://a.test/x', 'www.b.test', 'mailto:c@d.test', 'javascript:x', '(', ')', '.', ' ', '"')), {
          maxLength: 30,
        }),
        (pieces) => {
          const text = pieces.join('');
          const parts = linkify(text);
          expect(parts.map((p) => p.text).join('')).toBe(text);
          for (const p of parts) if (p.href) expect(p.href).toMatch(/^(https?:\/\/|mailto:)/);
        },
      ),
    );
  });
});
