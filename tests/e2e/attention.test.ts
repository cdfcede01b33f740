/**
 * Working several chats (P3, P5), end to end in Debian's Chromium with the built extension: the
 * operator reads a chat and the visitor's widget says "Seen" (live, and after a reload); a second
 * chat takes the operator's view, and a new message in the first raises its unread count, the
 * Chats tab's count and the toolbar badge; the new waiting chat chimes through the offscreen
 * document. axe-core on each screen: no serious or critical violation. With
 * E2E_SCREENSHOTS=<dir>, the chat list is saved at 252, 400 and 1280 px.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser as ChromeApi } from 'wxt/browser';
import type { BrowserContext, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, WIDGET } from '../support/axe';
import { byTestId, launchWithExtension, typeInto, waitVisible, type ExtensionBrowser } from '../support/browser';
import { runSetup, startServerProcess, type ServerProcess } from '../support/process';

const OPERATOR = { email: 'olivia@acme.test', password: 'correct horse battery', account: 'Acme Rockets', name: 'Olivia' };
const SHOTS = process.env.E2E_SCREENSHOTS;

type WorkerGlobal = { chrome: typeof ChromeApi };

describe('several chats: read state, unread counts, badge (P3, P5)', () => {
  let dataDir: string;
  let server: ServerProcess;
  let ext: ExtensionBrowser;
  let operator: Page;
  let vera: Page;
  let other: BrowserContext;
  let bob: Page;

  const badgeText = async () => (await ext.serviceWorker()).evaluate(() => (globalThis as unknown as WorkerGlobal).chrome.action.getBadgeText({}));
  const widget = (page: Page, attr: string) => page.evaluate((a) => document.querySelector('#sidedesk-widget')?.getAttribute(a) ?? null, attr);

  async function startChat(page: Page, name: string, question: string) {
    // Clicks (and the widget's frames) only run in the front tab.
    await page.bringToFront();
    await page.goto(`${server.url}/demo/`);
    await (await waitVisible(page, byTestId('launcher'))).click();
    await typeInto(page, byTestId('prechat-name'), name);
    await typeInto(page, byTestId('prechat-email'), `${name.toLowerCase()}@example.com`);
    await typeInto(page, byTestId('prechat-question'), question);
    await page.click(byTestId('prechat-submit'));
    await waitVisible(page, byTestId('message', '[data-author="visitor"][data-seq="1"]'));
  }

  async function send(page: Page, text: string) {
    await typeInto(page, byTestId('composer-input'), text);
    await page.keyboard.press('Enter');
  }

  async function noAxeProblems(page: Page) {
    await page.bringToFront();
    await expectAccessible(page, 'the page');
  }

  /** axe-core on the widget alone (its shadow root included): the demo page around it is not ours to judge here. */
  const noWidgetAxeProblems = (page: Page) => expectAccessible(page, 'the widget', WIDGET);

  async function shoot(name: string, page: Page, widths: number[]) {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await page.bringToFront();
    const before = page.viewport();
    for (const width of widths) {
      await page.setViewport({ width, height: 800 });
      await new Promise((r) => setTimeout(r, 300));
      await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`) });
    }
    if (before) await page.setViewport(before);
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'sidedesk-e2e-attention-'));
    await runSetup({ DATA_DIR: dataDir }, ['--email', OPERATOR.email, '--password', OPERATOR.password, '--account', OPERATOR.account, '--name', OPERATOR.name]);
    server = await startServerProcess({ DATA_DIR: dataDir });
    ext = await launchWithExtension();
    operator = await ext.browser.newPage();
    vera = await ext.browser.newPage();
    // A second visitor: another profile's storage, so another visitor token.
    other = await ext.browser.createBrowserContext();
    bob = await other.newPage();
    await operator.setViewport({ width: 400, height: 800 });
  });

  afterAll(async () => {
    await other?.close();
    await ext?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the operator reads the chat: the visitor sees "Seen" under their last message, also after a reload', async () => {
    await operator.bringToFront();
    await operator.goto(`chrome-extension://${ext.extensionId}/sidepanel.html`);
    await typeInto(operator, byTestId('login-server'), server.url);
    await typeInto(operator, byTestId('login-email'), OPERATOR.email);
    await typeInto(operator, byTestId('login-password'), OPERATOR.password);
    await operator.click(byTestId('login-submit'));
    await waitVisible(operator, byTestId('connection-status', '[data-status="connected"]'));
    await operator.click(byTestId('tab-chats'));

    await startChat(vera, 'Vera', 'Do your rockets ship to Mars?');
    await expect.poll(badgeText, { timeout: 10_000 }).toBe('1');
    // The waiting chat chimed, through the offscreen document (no user gesture needed there).
    await expect
      .poll(async () => {
        const target = ext.browser.targets().find((t) => t.url().endsWith('/offscreen.html'));
        const page = target && (await target.asPage().catch(() => null));
        return page ? page.evaluate(() => (document.getElementById('new-chat') as HTMLAudioElement).played.length > 0) : false;
      })
      .toBe(true);

    await (await waitVisible(operator, byTestId('chat-accept'))).click();
    await waitVisible(operator, byTestId('chat-window'));
    await send(operator, 'Hi Vera! Yes, every Tuesday.');
    await waitVisible(vera, byTestId('message', '[data-author="operator"]'));
    await noAxeProblems(operator);

    // Vera asks again; the operator has her chat open and focused: read, and Vera sees it.
    await send(vera, 'How long does it take?');
    await waitVisible(vera, byTestId('message', '[data-author="visitor"][data-seq="4"]'));
    // The operator's panel comes to the front and reads it (its unread count goes) before Vera's
    // tab takes the front again: a panel in the background reads nothing.
    await operator.bringToFront();
    await operator.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="message"]')].some((m) => m.textContent?.includes('How long does it take?')) &&
        !document.querySelector('[data-testid="chat-unread"]'),
      { timeout: 10_000 },
    );
    await vera.bringToFront();
    await vera.waitForFunction(() => Number(document.querySelector('#sidedesk-widget')?.getAttribute('data-seen')) >= 4, { timeout: 10_000 });
    const seenText = await (await waitVisible(vera, byTestId('message', '[data-seen]'))).evaluate((el) => el.textContent);
    expect(seenText).toContain('How long does it take?');
    expect(seenText).toContain('Seen');
    await noWidgetAxeProblems(vera);

    await vera.reload();
    await vera.click(byTestId('launcher'));
    await waitVisible(vera, byTestId('message', '[data-seen][data-seq="4"]'));
  });

  it('a second chat takes the view; a new message in the first raises its unread count, the tab count and the badge', async () => {
    await startChat(bob, 'Bob', 'Is there a student discount?');
    await expect.poll(badgeText, { timeout: 10_000 }).toBe('1');
    await operator.bringToFront();
    // Accepting opens Bob's chat: Vera's is no longer the one shown.
    await (await waitVisible(operator, byTestId('chat-accept'))).click();
    await operator.waitForFunction(() => document.querySelector('[data-testid="chat-window"]')?.textContent?.includes('Bob'));
    await expect.poll(badgeText, { timeout: 10_000 }).toBe('');

    await send(vera, 'Also: can I pay in instalments?');
    const unread = await waitVisible(operator, 'li[data-status="active"] [data-testid="chat-unread"]');
    expect(await unread.evaluate((el) => el.closest('li')?.textContent)).toContain('Vera');
    expect(await unread.evaluate((el) => el.textContent?.trim())).toBe('1');
    expect(await operator.$eval('[data-testid="tab-chats-badge"]', (el) => el.textContent?.trim())).toBe('1');
    await expect.poll(badgeText, { timeout: 10_000 }).toBe('1');
    // Bob waits for an answer (yellow), with how long; Vera's chat shows the same.
    expect(await operator.$$eval('[data-testid="chat-item"]', (items) => items.map((i) => i.getAttribute('data-attention')))).toEqual([
      'needs_reply',
      'needs_reply',
    ]);
    await waitVisible(operator, byTestId('chat-waited'));
    await noAxeProblems(operator);
    await shoot('chat-list', operator, [252, 400, 1280]);

    // Opening Vera's chat reads it: the counts and the badge clear.
    await operator.click(`[data-testid="chat-item"][data-conversation-id] button.citem-main`);
    await operator.waitForFunction(() => !document.querySelector('[data-testid="chat-unread"]'));
    await expect.poll(badgeText, { timeout: 10_000 }).toBe('');
    expect(await widget(vera, 'data-seen')).not.toBeNull();
  });
});
