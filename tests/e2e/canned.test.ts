/**
 * Canned responses and keyboard work (P10, #6), end to end in Debian's Chromium: the admin
 * creates an account-wide response on the options page; a visitor starts a chat on the demo site;
 * the operator accepts it with Alt+N alone, types `/pri`, picks /price from the list, and it
 * expands with the visitor's name; Enter sends it; the visitor sees it with a clickable link that
 * opens safely. axe-core checks every screen on the way. With E2E_SCREENSHOTS=<dir>, the composer
 * with its `/` list and its emoji picker are saved at 252 and 400 px.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, WIDGET } from '../support/axe';
import { byTestId, launchWithExtension, messageTexts, waitVisible, type ExtensionBrowser } from '../support/browser';
import { fillSignIn, shoot as shootAt, startE2eServer, startWidgetChat, type E2eServer } from '../support/e2e';

const ADMIN = { email: 'ada@acme.test', password: 'correct horse battery', account: 'Acme', name: 'Ada Admin' };
const VISITOR = { name: 'Vera Visitor', email: 'vera@example.com', question: 'How much is the Falcon?' };
const BODY = 'Hi {visitor.name}! Our prices are at https://example.com/pricing — {operator.name}';
const SENT = 'Hi Vera Visitor! Our prices are at https://example.com/pricing — Ada Admin';

describe('canned responses and the keyboard (P10)', () => {
  let server: E2eServer;
  let ext: ExtensionBrowser;
  let options: Page;
  let panel: Page;
  let visitor: Page;

  beforeAll(async () => {
    server = await startE2eServer({ name: 'canned', admin: ADMIN });
    ext = await launchWithExtension();
  });

  afterAll(async () => {
    await ext?.close();
    await server?.stop();
  });

  const shoot = (name: string, page: Page, widths = [252, 400]) => shootAt(page, name, widths, 700);

  const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));

  it('the admin creates an account-wide response on the options page', async () => {
    options = await ext.browser.newPage();
    await options.setViewport({ width: 1280, height: 900 });
    await options.goto(`chrome-extension://${ext.extensionId}/options.html#/canned`);
    await fillSignIn(options, server.url, ADMIN);
    await waitVisible(options, byTestId('canned-create'));
    await options.waitForFunction(() => document.body.textContent?.includes('No canned responses yet'));
    await expectAccessible(options, 'the empty Canned responses page');

    await options.click(byTestId('canned-create'));
    await waitVisible(options, byTestId('canned-shortcut'));
    // A missing title is said beside the field, which gets the focus.
    await options.type(byTestId('canned-shortcut'), '/Price');
    await options.click(byTestId('canned-save'));
    await waitVisible(options, byTestId('canned-error-title'));
    expect(await focusedTestId(options)).toBe('canned-title');
    await expectAccessible(options, 'the form with an error');
    await shoot('options-form', options, [1280, 400]);
    await options.type(byTestId('canned-title'), 'Our prices');
    await options.type(byTestId('canned-body'), BODY);
    await options.click(byTestId('canned-save'));
    await options.waitForFunction(() => document.querySelector('[data-testid="canned-done"]')?.textContent === '/price created.');
    await waitVisible(options, byTestId('canned-item', '[data-shortcut="price"]'));
    await expectAccessible(options, 'the page with a response');
    await shoot('options-list', options, [1280, 400]);
  });

  it('a visitor asks; the operator accepts the waiting chat with Alt+N alone, the cursor in the reply box', async () => {
    panel = await ext.browser.newPage();
    await panel.setViewport({ width: 400, height: 800 });
    // Signed in already: the options page and the panel share the extension's session.
    await panel.goto(`chrome-extension://${ext.extensionId}/sidepanel.html`);
    await waitVisible(panel, byTestId('connection-status', '[data-status="connected"]'));

    visitor = await ext.browser.newPage();
    await visitor.setViewport({ width: 1280, height: 800 });
    await startWidgetChat(visitor, server.url, VISITOR);

    await panel.bringToFront();
    await panel.click(byTestId('tab-chats'));
    await waitVisible(panel, byTestId('chat-accept'));
    await expectAccessible(panel, 'the panel with a waiting chat');
    await panel.keyboard.down('Alt');
    await panel.keyboard.press('KeyN');
    await panel.keyboard.up('Alt');
    await panel.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'composer-input');
    await expect.poll(() => messageTexts(panel)).toContain(VISITOR.question);
  });

  it('`/pri` lists the response; Tab inserts it with the visitor’s name, Enter sends it', async () => {
    await panel.keyboard.type('/pri');
    await waitVisible(panel, byTestId('canned-option', '[data-shortcut="price"]'));
    expect(await panel.$eval(byTestId('composer-input'), (el) => el.getAttribute('aria-activedescendant'))).toBeTruthy();
    await expectAccessible(panel, 'the composer with its / list');
    await shoot('composer-canned', panel);

    await panel.keyboard.press('Tab');
    await panel.waitForFunction((sent) => (document.querySelector('[data-testid="composer-input"]') as HTMLTextAreaElement).value === sent, {}, SENT);
    expect(await panel.$(byTestId('canned-list'))).toBeNull();
    await panel.keyboard.press('Enter');
    await panel.waitForFunction(() => document.querySelector('[data-testid="message"][data-author="operator"] [data-testid="message-link"]'));
    const link = await panel.$eval(byTestId('message-link'), (a) => [a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target')]);
    expect(link).toEqual(['https://example.com/pricing', 'noopener noreferrer', '_blank']);
  });

  it('the visitor sees it, its link clickable and safe', async () => {
    await waitVisible(visitor, byTestId('message', '[data-author="operator"]'));
    await expect.poll(() => messageTexts(visitor)).toContain(SENT);
    const link = await visitor.$eval('>>> [data-author="operator"] [data-testid="message-body"] a', (a) => ({
      text: a.textContent,
      href: a.getAttribute('href'),
      rel: a.getAttribute('rel'),
      target: a.getAttribute('target'),
    }));
    expect(link).toEqual({ text: 'https://example.com/pricing', href: 'https://example.com/pricing', rel: 'noopener noreferrer', target: '_blank' });
    await expectAccessible(visitor, 'the widget with the canned reply', WIDGET);
  });

  it('the emoji picker and the shortcuts’ help work from the keyboard', async () => {
    await panel.bringToFront();
    await panel.focus(byTestId('composer-input'));
    await panel.keyboard.down('Alt');
    await panel.keyboard.press('KeyM');
    await panel.keyboard.up('Alt');
    await panel.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'emoji-search');
    await panel.keyboard.type('wave');
    await expectAccessible(panel, 'the emoji picker');
    await shoot('composer-emoji', panel);
    await panel.keyboard.press('ArrowDown');
    await panel.keyboard.press('Enter');
    await panel.waitForFunction(() => (document.querySelector('[data-testid="composer-input"]') as HTMLTextAreaElement).value === '👋');
    expect(await focusedTestId(panel)).toBe('composer-input');

    // `?` outside a field opens the help; Escape closes it.
    await panel.focus('[role="log"]');
    await panel.keyboard.type('?');
    await waitVisible(panel, byTestId('shortcuts-help'));
    await expectAccessible(panel, 'the keyboard shortcuts');
    await shoot('shortcuts-help', panel);
    await panel.keyboard.press('Escape');
    await panel.waitForFunction(() => !document.querySelector('dialog[open] [data-testid="shortcuts-help"]'));
  });

  it('the operator keeps a personal response of their own from the panel', async () => {
    await panel.click(byTestId('account-menu'));
    await panel.click(byTestId('menu-canned'));
    await waitVisible(panel, byTestId('canned-manager'));
    await waitVisible(panel, byTestId('canned-item', '[data-shortcut="price"][data-scope="account"]'));
    await expectAccessible(panel, 'the canned responses manager');
    await shoot('panel-manager', panel);
    await panel.click(byTestId('canned-manager-create'));
    await waitVisible(panel, byTestId('canned-shortcut'));
    await panel.type(byTestId('canned-shortcut'), 'bye');
    await panel.type(byTestId('canned-title'), 'Goodbye');
    await panel.type(byTestId('canned-body'), 'Bye {visitor.firstName}!');
    await expectAccessible(panel, 'the manager’s form');
    await shoot('panel-manager-form', panel);
    await panel.click(byTestId('canned-save'));
    await waitVisible(panel, byTestId('canned-item', '[data-shortcut="bye"][data-scope="personal"]'));
    await panel.keyboard.press('Escape');
    await panel.focus(byTestId('composer-input'));
    await panel.keyboard.type(' /bye ');
    await panel.waitForFunction(() => (document.querySelector('[data-testid="composer-input"]') as HTMLTextAreaElement).value === '👋 Bye Vera! ');
  });
});
