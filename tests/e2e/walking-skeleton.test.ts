/**
 * Issue #2, end to end: the built extension and the demo site's widget in Debian's Chromium,
 * against the real server process on an embedded PGlite data dir.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, WIDGET } from '../support/axe';
import { byTestId, launchWithExtension, messageTexts, typeInto, waitVisible, type ExtensionBrowser } from '../support/browser';
import { badgeText as badgeOf, fillPrechat, fillSignIn, startE2eServer, type E2eServer, type WorkerGlobal } from '../support/e2e';

const OPERATOR = { email: 'olivia@acme.test', password: 'correct horse battery', account: 'Acme Rockets' };
const VISITOR = { name: 'Vera Visitor', email: 'vera@example.com', question: 'Do your rockets ship to Mars?' };

describe('walking skeleton: widget ↔ side panel', () => {
  let server: E2eServer;
  let ext: ExtensionBrowser;
  let visitor: Page;
  let operator: Page;

  beforeAll(async () => {
    server = await startE2eServer({ name: 'skeleton', admin: OPERATOR });
    ext = await launchWithExtension();
    visitor = await ext.browser.newPage();
    operator = await ext.browser.newPage();
  });

  afterAll(async () => {
    await ext?.close();
    await server?.stop();
  });

  /** The panel's Chats and Visitors tabs (#5). Clicks only land in the front tab. */
  const showTab = async (id: 'chats' | 'visitors') => {
    await operator.bringToFront();
    await operator.click(byTestId(`tab-${id}`));
  };
  const badgeText = () => badgeOf(ext);

  it('the operator logs in from the side panel', async () => {
    await operator.setViewport({ width: 420, height: 900 });
    await operator.bringToFront();
    await operator.goto(`chrome-extension://${ext.extensionId}/sidepanel.html`);
    await fillSignIn(operator, server.url, { email: OPERATOR.email, password: 'wrong password' });
    await waitVisible(operator, byTestId('login-error'));
    await expectAccessible(operator, 'the sign-in form with its error');

    await typeInto(operator, byTestId('login-password'), OPERATOR.password);
    await operator.click(byTestId('login-submit'));
    await waitVisible(operator, byTestId('connection-status', '[data-status="connected"]'));
  });

  it('sees the visitor in the live grid, on the page they are on', async () => {
    await visitor.goto(`${server.url}/demo/`);
    await showTab('visitors');
    const row = await waitVisible(operator, byTestId('visitor-row', '[data-state="browsing"]'));
    const visitorId = await row!.evaluate((el) => el.getAttribute('data-visitor-id'));
    expect(visitorId).toBeTruthy();

    // Navigation is tracked: the row follows the visitor to the pricing page.
    await visitor.goto(`${server.url}/demo/pricing.html`);
    await operator.waitForFunction(
      (id) => {
        const root = document.querySelector(`[data-testid="visitor-row"][data-visitor-id="${id}"]`);
        return root?.querySelector('[data-testid="visitor-page"]')?.textContent?.includes('pricing');
      },
      {},
      visitorId,
    );
    await expectAccessible(operator, 'the visitors grid');
  });

  it('the visitor starts a chat; the operator is notified, accepts and they talk both ways', async () => {
    await visitor.bringToFront();
    await visitor.click(byTestId('launcher'));
    await waitVisible(visitor, byTestId('prechat-name'));
    await expectAccessible(visitor, 'the pre-chat form', WIDGET);
    await fillPrechat(visitor, VISITOR);

    // Red in the grid, a waiting chat, a badge on the extension icon and a desktop notification.
    await waitVisible(operator, byTestId('visitor-row', '[data-state="waiting"]'));
    await showTab('chats');
    await waitVisible(operator, byTestId('chat-item', '[data-status="waiting"]'));
    await expect.poll(badgeText, { timeout: 10_000 }).toBe('1');
    const notifications = await (await ext.serviceWorker()).evaluate(() => (globalThis as unknown as WorkerGlobal).chrome.notifications.getAll());
    expect(Object.keys(notifications).length).toBeGreaterThan(0);

    await operator.bringToFront();
    await operator.click(byTestId('chat-accept'));
    await waitVisible(operator, byTestId('chat-window'));
    await operator.waitForFunction(
      (q) => [...document.querySelectorAll('[data-testid="message-body"]')].some((m) => m.textContent?.includes(q)),
      {},
      VISITOR.question,
    );
    await expect.poll(badgeText, { timeout: 10_000 }).toBe('');

    // Operator → visitor.
    await typeInto(operator, byTestId('composer-input'), 'Hi Vera! Yes, weekly launches.');
    await operator.keyboard.press('Enter');
    await waitVisible(visitor, byTestId('message', '[data-author="operator"]'));
    await expect.poll(() => messageTexts(visitor)).toContain('Hi Vera! Yes, weekly launches.');

    // Visitor → operator; green/yellow state follows who has to answer.
    await showTab('visitors');
    await waitVisible(operator, byTestId('visitor-row', '[data-state="replied"]'));
    await typeInto(visitor, byTestId('composer-input'), 'Great, how much is a ticket?');
    await visitor.click(byTestId('composer-send'));
    await expect.poll(() => messageTexts(operator)).toContain('Great, how much is a ticket?');
    await waitVisible(operator, byTestId('visitor-row', '[data-state="needs_reply"]'));
    await expectAccessible(operator, 'the grid beside an open chat');
    await showTab('chats');
    await expectAccessible(operator, 'the chat window');
    await visitor.bringToFront();
    await expectAccessible(visitor, 'the widget in a chat', WIDGET);
  });

  const expectedHistory = [VISITOR.question, 'Hi Vera! Yes, weekly launches.', 'Great, how much is a ticket?'];

  /** Message bodies without system lines ("Olivia joined"), in the order shown. */
  const chatLines = async (page: Page) => (await messageTexts(page)).filter((t) => expectedHistory.includes(t) || t.startsWith('After restart'));

  it('reloading either side loses nothing: the history is back, in order', async () => {
    await visitor.bringToFront();
    await visitor.reload();
    await visitor.click(byTestId('launcher'));
    await expect.poll(() => chatLines(visitor)).toEqual(expectedHistory);

    await operator.bringToFront();
    await operator.reload();
    await waitVisible(operator, byTestId('connection-status', '[data-status="connected"]'));
    await waitVisible(operator, byTestId('chat-window'));
    await expect.poll(() => chatLines(operator)).toEqual(expectedHistory);
  });

  it('a server restart loses nothing and both sides carry on without a reload', async () => {
    await server.restart('SIGKILL');

    await waitVisible(operator, byTestId('connection-status', '[data-status="connected"]'), 30_000);
    await operator.bringToFront();
    await typeInto(operator, byTestId('composer-input'), 'After restart: still here');
    await operator.keyboard.press('Enter');
    await expect.poll(() => chatLines(visitor), { timeout: 30_000 }).toEqual([...expectedHistory, 'After restart: still here']);

    await visitor.bringToFront();
    await typeInto(visitor, byTestId('composer-input'), 'After restart: me too');
    await visitor.keyboard.press('Enter');
    await expect.poll(() => chatLines(operator), { timeout: 30_000 }).toEqual([...expectedHistory, 'After restart: still here', 'After restart: me too']);
  });
});
