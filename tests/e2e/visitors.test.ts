/**
 * Visitors (#6: P2, P4, P6) end to end in Debian's Chromium: the visitor browses two pages of the
 * demo site and the operator sees them in the visitor's history, live; the operator invites the
 * visitor from the grid, the widget (its chat UI loaded on demand, V1) shows the invitation, the
 * visitor accepts, and the chat is the operator's with their message first. axe-core checks every
 * screen. With E2E_SCREENSHOTS=<dir>: the visitor's details at 252/400/1280 px, the invitation at
 * 1280 and 375 px, the chat with its history line at 400 px.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, WIDGET } from '../support/axe';
import { byTestId, launchWithExtension, messageTexts, typeInto, waitVisible, type ExtensionBrowser } from '../support/browser';
import { expectPageAccessible as noAxeProblems, shoot, signInPanel, startE2eServer, type E2eServer } from '../support/e2e';

const OPERATOR = { email: 'olivia@acme.test', password: 'correct horse battery', account: 'Acme Rockets', name: 'Olivia' };
const INVITATION = 'Hi! Looking at our plans? I can help you pick one.';

describe('visitors: history, invitation from the grid (P4, P6)', { timeout: 60_000 }, () => {
  let server: E2eServer;
  let ext: ExtensionBrowser;
  let visitor: Page;
  let operator: Page;

  beforeAll(async () => {
    server = await startE2eServer({ name: 'visitors', admin: OPERATOR });
    ext = await launchWithExtension();
    visitor = await ext.browser.newPage();
    operator = await ext.browser.newPage();
    await visitor.setViewport({ width: 1280, height: 800 });
    await operator.setViewport({ width: 400, height: 800 });
  });

  afterAll(async () => {
    await ext?.close();
    await server?.stop();
  });

  it('the visitor browses two pages; the operator sees them in the visitor’s history, the current one first', async () => {
    await signInPanel(operator, ext, server.url, OPERATOR);

    await visitor.bringToFront();
    await visitor.goto(`${server.url}/demo/`);
    // V1: the first load is the launcher; the chat UI is not loaded before it is needed.
    await waitVisible(visitor, byTestId('launcher'));
    expect(await visitor.$(byTestId('panel'))).toBeNull();
    await visitor.goto(`${server.url}/demo/pricing.html`);

    await operator.bringToFront();
    await operator.click(byTestId('tab-visitors'));
    const row = await waitVisible(operator, byTestId('visitor-row', '[data-state="browsing"]'));
    await (await row.$('.vrow-head'))!.click();
    await operator.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="visitor-history-page"]')].map((li) => new URL(li.getAttribute('data-url')!).pathname).join(' ') ===
        '/demo/pricing.html /demo/',
      { timeout: 10_000 },
    );
    expect(await operator.$eval('[data-testid="visitor-history-page"]', (li) => li.classList.contains('current'))).toBe(true);
    await noAxeProblems(operator);
    await shoot(operator, 'visitor-details', [252, 400, 1280]);

    // Live: the next page appears on top while the details are open.
    await visitor.goto(`${server.url}/demo/contact.html`);
    await operator.waitForFunction(
      () => document.querySelector('[data-testid="visitor-history-page"]')?.getAttribute('data-url')?.endsWith('/demo/contact.html'),
      {
        timeout: 10_000,
      },
    );
  });

  it('the operator invites from the grid; the visitor accepts in the widget; the chat is the operator’s, their message first', async () => {
    await operator.bringToFront();
    await operator.click(byTestId('visitor-invite'));
    await typeInto(operator, byTestId('visitor-invite-message'), INVITATION);
    await noAxeProblems(operator);
    await operator.click(byTestId('visitor-invite-send'));
    await waitVisible(operator, byTestId('visitor-row', '[data-invited="true"]'));

    const card = await waitVisible(visitor, byTestId('invitation'));
    expect(await card.$eval('[data-testid="invitation-message"]', (el) => el.textContent)).toBe(INVITATION);
    expect(await card.evaluate((el) => el.textContent)).toContain(OPERATOR.name);
    await expectAccessible(visitor, 'the widget', WIDGET);
    await shoot(visitor, 'widget-invitation', [1280, 375]);

    await visitor.click(byTestId('invitation-accept'));
    await waitVisible(visitor, byTestId('message', '[data-author="operator"][data-seq="1"]'));
    expect(await messageTexts(visitor)).toEqual([INVITATION]);
    await expectAccessible(visitor, 'the widget', WIDGET);
    await typeInto(visitor, byTestId('composer-input'), 'Yes, which plan has SSO?');
    await visitor.keyboard.press('Enter');

    // The chat is the operator's at once: it opens in their pane, active, with both messages.
    await operator.bringToFront();
    await waitVisible(operator, byTestId('chat-close'));
    await operator.waitForFunction(() => document.querySelectorAll('[data-testid="chat-window"] [data-testid="message-body"]').length >= 2, {
      timeout: 10_000,
    });
    const texts = await messageTexts(operator);
    expect(texts).toContain(INVITATION);
    expect(texts).toContain('Yes, which plan has SSO?');
    // P6 beside the chat: one line with the count, opened on demand.
    const toggle = await waitVisible(operator, '[data-testid="chat-window"] [data-testid="visitor-history"] .disc-toggle');
    await toggle.click();
    await waitVisible(operator, '[data-testid="chat-window"] [data-testid="visitor-history-page"]');
    await noAxeProblems(operator);
    await shoot(operator, 'chat-history', [400]);
  });
});
