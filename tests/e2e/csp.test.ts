/**
 * #4: the pages keep working under their Content Security Policy in a real Chromium: the demo
 * site with the widget (Shadow DOM stylesheet, Socket.IO to this origin) and the setup form.
 * Any CSP violation, reported as an event or in the console, fails the test.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { byTestId, CHROMIUM, messageTexts, typeInto, waitVisible } from '../support/browser';
import { Harness } from '../support/server';

const h = new Harness();
let browser: Browser;

beforeAll(async () => {
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});
afterAll(() => browser?.close());
afterEach(() => h.closeAll());

/** A tab that records every CSP violation: the DOM event (also from inside shadow roots) and console errors. */
async function watchedPage(): Promise<{ page: Page; violations: string[] }> {
  const page = await browser.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  await page.exposeFunction('reportCspViolation', (v: string) => void violations.push(v));
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportCspViolation(v: string): void }).reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`),
    );
  });
  return { page, violations };
}

describe('pages under their CSP in Chromium (#4)', () => {
  it('runs the widget on the demo site: styled, connected, chatting, with no violation', async () => {
    const server = await h.server();
    await h.operator(server);
    const { page, violations } = await watchedPage();
    const response = await page.goto(`${server.url}/demo/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    const launcher = await waitVisible(page, byTestId('launcher'));
    // The Shadow DOM stylesheet applied: the launcher is a fixed, round button.
    expect(await launcher.evaluate((el) => getComputedStyle(el).position)).toBe('fixed');
    await launcher.click();
    await typeInto(page, byTestId('prechat-name'), 'Vera Visitor');
    await typeInto(page, byTestId('prechat-email'), 'vera@example.com');
    await typeInto(page, byTestId('prechat-question'), 'Does the chat work under a CSP?');
    await page.click(byTestId('prechat-submit'));
    // Stored by the server (seq 1): the socket to this origin got through connect-src.
    await waitVisible(page, byTestId('message', '[data-author="visitor"][data-seq="1"]'));
    expect(await messageTexts(page)).toContain('Does the chat work under a CSP?');

    await page.goto(`${server.url}/demo/pricing.html`);
    await waitVisible(page, byTestId('launcher'));
    expect(violations).toEqual([]);
  });

  it('shows the landing page and the styled setup form, and submits it, with no violation', async () => {
    const server = await h.server();
    const { page, violations } = await watchedPage();
    await page.goto(`${server.url}/`);
    await page.waitForSelector('a[href="/setup"]');
    await page.goto(`${server.url}/setup`);
    const button = await page.waitForSelector('button[type="submit"]');
    // The inline stylesheet allowed by its hash: the accent-coloured button.
    expect(await button!.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(37, 99, 235)');
    await page.type('#account', 'Acme Rockets');
    await page.type('#email', 'ada@example.com');
    await page.type('#password', 'long enough');
    await Promise.all([page.waitForNavigation(), button!.click()]);
    expect(await page.$eval('h1', (el) => el.textContent)).toBe('Sidedesk is set up');
    expect(violations).toEqual([]);
  });
});
