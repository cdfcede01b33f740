import { describe, expect, it } from 'vitest';
import { escapeHtml, link, mailBody } from '../../../server/src/mail/template';

const XSS = '<img src=x onerror=alert(1)>';

describe('mailBody (#5)', () => {
  it('escapes every interpolated value in the HTML part and keeps it as typed in the text part', () => {
    const name = `Eve ${XSS}`;
    const question = `"quoted" & 'single' </p><script>alert(2)</script>`;
    const body = mailBody`Hello ${name},

you asked: ${question}`;
    expect(body.text).toBe(`Hello ${name},\n\nyou asked: ${question}`);
    expect(body.html).toContain('<p>Hello Eve &lt;img src=x onerror=alert(1)&gt;,</p>');
    expect(body.html).toContain('<p>you asked: &quot;quoted&quot; &amp; &#39;single&#39; &lt;/p&gt;&lt;script&gt;alert(2)&lt;/script&gt;</p>');
    expect(body.html).not.toContain('<img');
    expect(body.html).not.toContain('<script');
    // The only tags are the template's own.
    expect(new Set(body.html.match(/<\/?[a-z!][^\s>]*/gi))).toEqual(
      new Set(['<!doctype', '<html', '<head', '<meta', '</head', '<body', '<p', '</p', '</body', '</html']),
    );
  });

  it('escapes the template’s own words too, and turns blank lines into paragraphs and line breaks into <br>', () => {
    const body = mailBody`a < b
c & d

${3} > 2`;
    expect(body.html).toContain('<p>a &lt; b<br>\nc &amp; d</p>\n<p>3 &gt; 2</p>');
    expect(body.text).toBe('a < b\nc & d\n\n3 > 2');
  });

  it('renders links as <a> with escaped attributes, and refuses what is not http(s)', () => {
    const body = mailBody`Open ${link('https://desk.example/chats?id=1&x="2"', `the chat ${XSS}`)}`;
    expect(body.html).toContain('<a href="https://desk.example/chats?id=1&amp;x=%222%22">the chat &lt;img src=x onerror=alert(1)&gt;</a>');
    expect(body.text).toBe(`Open the chat ${XSS}: https://desk.example/chats?id=1&x=%222%22`);
    expect(() => link('javascript:alert(1)')).toThrow(/http/);
    expect(() => link('data:text/html,<script>')).toThrow(/http/);
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
