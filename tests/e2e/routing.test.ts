/**
 * #6 end to end (A1, P11, P5): two operators in one department with auto-assign, each in their own
 * Chromium with the built extension, and two visitors on the demo site. Auto-assignment spreads
 * the two chats over the two operators; one transfers their chat to the other with a note; the
 * visitor sees the new operator's name and never the note. axe-core checks every screen.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, WIDGET } from '../support/axe';
import { byTestId, launchWithExtension, messageTexts, typeInto, waitVisible, type ExtensionBrowser } from '../support/browser';
import { adminToken, inviteMember, openPanel, restClient, startE2eServer, startWidgetChat, type E2eServer, type Rest } from '../support/e2e';

const ADMIN = { email: 'ada@shop.test', password: 'correct horse battery', account: 'Shop', name: 'Ada Admin' };
const PASSWORD = 'a long enough passphrase';
const NOTE = 'Refund approved by finance, keep it quiet';

describe('routing in the browser (#6)', () => {
  let server: E2eServer;
  let rest: Rest;
  const browsers: ExtensionBrowser[] = [];

  beforeAll(async () => {
    server = await startE2eServer({ name: 'routing', admin: ADMIN, publicUrl: true });
    rest = restClient(server.url);
    browsers.push(...(await Promise.all([launchWithExtension(), launchWithExtension()])));
  });

  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    await server?.stop();
  });

  /** An operator of the account, through the real invitation. */
  const invite = (token: string, email: string, name: string) => inviteMember(rest, token, { email, name, password: PASSWORD, role: 'operator' });

  /** The widget alone (its shadow root included): the demo page around it is not ours to check here. */
  const expectWidgetAccessible = (page: Page, what: string) => expectAccessible(page, what, WIDGET);

  const panelOf = (ext: ExtensionBrowser, email: string) => openPanel(ext, server.url, { email, password: PASSWORD });

  async function startChat(ext: ExtensionBrowser, name: string, question: string): Promise<Page> {
    const page = await ext.browser.newPage();
    await page.setViewport({ width: 420, height: 800 });
    await startWidgetChat(page, server.url, { name, question }, async () => {
      // One department with someone online: the form asks nothing about it.
      expect(await page.$(byTestId('prechat-department'))).not.toBeNull();
      expect(await page.$eval(byTestId('prechat-department'), (el) => (el.closest('.field') as HTMLElement).hidden)).toBe(true);
      await expectWidgetAccessible(page, `${name}'s pre-chat form`);
    });
    return page;
  }

  /** The visitor's name in the chat window a panel shows. */
  const chatWith = (panel: Page) => panel.$eval(byTestId('chat-window'), (el) => el.querySelector('.cw-name')?.textContent?.trim() ?? '');

  it('spreads two chats over two operators, and a transfer with a note reaches the colleague but never the visitor', async () => {
    const token = await adminToken(rest, ADMIN);
    const bobId = await invite(token, 'bob@shop.test', 'Bob');
    const cleoId = await invite(token, 'cleo@shop.test', 'Cleo');
    await rest('POST', '/api/departments', { name: 'Sales' }, token).then((d) =>
      rest('PATCH', `/api/departments/${(d as { id: string }).id}`, { operatorIds: [bobId, cleoId] }, token),
    );
    await rest('PATCH', '/api/routing/settings', { mode: 'auto' }, token);

    const [extBob, extCleo] = browsers as [ExtensionBrowser, ExtensionBrowser];
    const bob = await panelOf(extBob, 'bob@shop.test');
    const cleo = await panelOf(extCleo, 'cleo@shop.test');
    await waitVisible(bob, byTestId('status-dot', '[data-status="online"]'));
    await expectAccessible(bob, "Bob's panel");
    // The status in the account menu (P11), by keyboard: away, then online again.
    await bob.focus(byTestId('account-menu'));
    await bob.keyboard.press('Enter');
    await waitVisible(bob, byTestId('status-away'));
    await expectAccessible(bob, 'the account menu with the status');
    await bob.click(byTestId('status-away'));
    await waitVisible(bob, byTestId('status-dot', '[data-status="away"]'));
    await bob.click(byTestId('account-menu'));
    await bob.click(byTestId('status-online'));
    await waitVisible(bob, byTestId('status-dot', '[data-status="online"]'));

    // Two visitors, one in each browser (each its own visitor): one chat each, by load.
    const vera = await startChat(extBob, 'Vera', 'Where is my parcel?');
    const walt = await startChat(extCleo, 'Walt', 'Do you have it in blue?');
    await waitVisible(bob, byTestId('chat-window', '[data-conversation-id]'));
    await waitVisible(cleo, byTestId('chat-window', '[data-conversation-id]'));
    const served = [await chatWith(bob), await chatWith(cleo)].sort();
    expect(served).toEqual(['Vera', 'Walt']);
    await expectAccessible(cleo, "Cleo's panel with her chat");

    // "View operators": both online with one chat of five.
    await bob.click(byTestId('tab-team'));
    await bob.waitForFunction(() => document.querySelectorAll('[data-testid="operator-row"][data-status="online"]').length === 2);
    expect(await bob.$$eval(byTestId('operator-row'), (rows) => rows.map((r) => r.textContent?.replace(/\s+/g, ' ').trim()))).toEqual(
      expect.arrayContaining([expect.stringContaining('1/5 chats')]),
    );
    await expectAccessible(bob, 'the Team tab');
    await bob.click(byTestId('tab-chats'));

    // Bob hands his chat to Cleo, with a note, by keyboard.
    const movedName = await chatWith(bob);
    const bobsVisitor = movedName === 'Vera' ? vera : walt;
    await bob.bringToFront();
    await bob.focus(byTestId('chat-transfer'));
    await bob.keyboard.press('Enter');
    await waitVisible(bob, byTestId('transfer-dialog'));
    await bob.select(byTestId('transfer-target'), `op:${cleoId}`);
    await typeInto(bob, byTestId('transfer-note'), NOTE);
    await expectAccessible(bob, 'the transfer dialog');
    await bob.click(byTestId('transfer-send'));
    await bob.waitForSelector(byTestId('transfer-dialog'), { hidden: true });

    // The visitor sees Cleo now, and the line saying so; never the note.
    await bobsVisitor.bringToFront();
    await expect.poll(() => messageTexts(bobsVisitor), { timeout: 10_000 }).toContain('Bob transferred the chat to Cleo');
    await bobsVisitor.waitForFunction(() => {
      const host = document.querySelector('#sidedesk-widget');
      return host?.shadowRoot?.querySelector('[data-testid="chat-status"]')?.textContent?.includes('Cleo is here');
    });
    const widgetText = await bobsVisitor.evaluate(() => document.querySelector('#sidedesk-widget')?.shadowRoot?.textContent ?? '');
    expect(widgetText).not.toContain(NOTE);
    await expectWidgetAccessible(bobsVisitor, 'the widget after the transfer');

    // Cleo has both chats now, the transferred one with its whole history and the note.
    await cleo.bringToFront();
    await cleo.waitForFunction(() => document.querySelectorAll('[data-testid="chat-item"][data-status="active"]').length === 2);
    await cleo.evaluate((name) => {
      const item = [...document.querySelectorAll('[data-testid="chat-item"]')].find((i) => i.querySelector('.citem-name')?.textContent?.trim() === name);
      item?.querySelector<HTMLButtonElement>('button.citem-main')?.click();
    }, movedName);
    await expect.poll(() => messageTexts(cleo), { timeout: 10_000 }).toContain(NOTE);
    await expectAccessible(cleo, "Cleo's panel with the transferred chat");
  }, 60_000);
});
