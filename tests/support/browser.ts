import path from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROME_EXTENSION_DIR = path.resolve('.output/chrome-mv3');

export interface ExtensionBrowser {
  browser: Browser;
  extensionId: string;
  /** The extension's background service worker (badge, notifications, the operator socket). */
  serviceWorker: () => Promise<WebWorker>;
  close: () => Promise<void>;
}

/** Debian's Chromium, headless, with the built extension loaded (never a downloaded browser). */
export async function launchWithExtension(extensionDir = CHROME_EXTENSION_DIR): Promise<ExtensionBrowser> {
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    enableExtensions: [extensionDir],
    args: [
      '--no-sandbox', // CI runs as root
      '--disable-gpu',
      '--disable-background-networking', // the machine's closed network refuses Google's hosts
      '--disable-component-update',
      '--no-first-run',
      '--window-size=1280,900',
    ],
  });
  const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), { timeout: 20_000 });
  const extensionId = new URL(target.url()).host;
  const serviceWorker = async () => {
    const t = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`));
    const worker = await t.worker();
    if (!worker) throw new Error('extension service worker not available');
    return worker;
  };
  return { browser, extensionId, serviceWorker, close: () => browser.close() };
}

/** A deep selector for an element by data-testid, piercing shadow roots (the widget lives in one). */
export const byTestId = (id: string, extra = '') => `>>> [data-testid="${id}"]${extra}`;

/** Texts of the message bodies shown on a page (widget or panel), in DOM order. */
export async function messageTexts(page: Page): Promise<string[]> {
  const bodies = await page.$$(byTestId('message-body'));
  return Promise.all(bodies.map((b) => b.evaluate((el) => el.textContent?.trim() ?? '')));
}

/** Replace an input's value the way a user would (select all, type). */
export async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await page.bringToFront();
  const el = await page.waitForSelector(selector, { visible: true });
  if (!el) throw new Error(`no element ${selector}`);
  await el.click({ count: 3 });
  await el.evaluate((node) => {
    (node as HTMLInputElement).value = '';
  });
  await el.type(text);
}

/**
 * Wait until an element is visible. `visible: true` makes puppeteer poll every frame, which also
 * sees changes inside shadow roots (the widget); a plain wait only wakes on light-DOM mutations.
 * Frames (and puppeteer's clicks) only run in the front tab, so the page is brought forward first.
 */
export async function waitVisible(page: Page, selector: string, timeout = 15_000) {
  await page.bringToFront();
  const el = await page.waitForSelector(selector, { visible: true, timeout });
  if (!el) throw new Error(`no element ${selector}`);
  return el;
}
