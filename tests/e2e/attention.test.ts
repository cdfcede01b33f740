/**
 * Working several chats (P3, P5), end to end in Debian's Chromium with the built extension: the
 * operator reads a chat and the visitor's widget says "Seen" (live, and after a reload); a second
 * chat takes the operator's view, and a new message in the first raises its unread count, the
 * Chats tab's count and the toolbar badge; the new waiting chat chimes through the offscreen
 * document. axe-core on each screen: no serious or critical violation. With
 * E2E_SCREENSHOTS=<dir>, the chat list is saved at 252, 400 and 1280 px.
 */
import type { BrowserContext, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, WIDGET } from '../support/axe';
import { byTestId, launchWithExtension, waitVisible, type ExtensionBrowser } from '../support/browser';
import { badgeText as badgeOf, expectPageAccessible, send, shoot, signInPanel, startE2eServer, startWidgetChat, type E2eServer } from '../support/e2e';

const OPERATOR = { email: 'olivia@acme.test', password: 'correct horse battery', account: 'Acme Rockets', name: 'Olivia' };

describe('several chats: read state, unread counts, badge (P3, P5)', () => {
  let server: E2eServer;
  let ext: ExtensionBrowser;
  let operator: Page;
  let vera: Page;
  let other: BrowserContext;
  let bob: Page;

  const badgeText = () => badgeOf(ext);
  const widget = (page: Page, attr: string) => page.evaluate((a) => document.querySelector('#sidedesk-widget')?.getAttribute(a) ?? null, attr);

  const startChat = (page: Page, name: string, question: string) => startWidgetChat(page, server.url, { name, question });
  const noAxeProblems = (page: Page) => expectPageAccessible(page);

  /** axe-core on the widget alone (its shadow root included): the demo page around it is not ours to judge here. */
  const noWidgetAxeProblems = (page: Page) => expectAccessible(page, 'the widget', WIDGET);

  beforeAll(async () => {
    server = await startE2eServer({ name: 'attention', admin: OPERATOR });
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
  });

  it('the operator reads the chat: the visitor sees "Seen" under their last message, also after a reload', async () => {
    await signInPanel(operator, ext, server.url, OPERATOR);
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
    await shoot(operator, 'chat-list', [252, 400, 1280], 800);

    // Opening Vera's chat reads it: the counts and the badge clear.
    await operator.click(`[data-testid="chat-item"][data-conversation-id] button.citem-main`);
    await operator.waitForFunction(() => !document.querySelector('[data-testid="chat-unread"]'));
    await expect.poll(badgeText, { timeout: 10_000 }).toBe('');
    expect(await widget(vera, 'data-seen')).not.toBeNull();
  });
});
