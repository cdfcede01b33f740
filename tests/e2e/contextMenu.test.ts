/**
 * P12 end to end in Debian's Chromium with the built extension: with the panel closed, a new
 * chat's desktop notification carries an Accept button (the operator's choice) that takes the chat
 * and opens the panel on it; then "Insert into chat": the operator selects text on a page and picks
 * the entry in the context menu, and the text lands in the reply box; with several chats of theirs
 * and none of them shown, the panel asks which chat.
 *
 * Puppeteer can't click a native context menu or a desktop notification, so the test fires the
 * browser's own events in the service worker as a click would: `contextMenus.onClicked` with the
 * page's selection, `notifications.onButtonClicked` / `onClicked` with the id of a notification the
 * background really created (read back with `notifications.getAll`). The listeners and everything
 * after them are the production code; the server's own view (the visitor's widget) proves the accept.
 */
import type { Page, WebWorker } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe';
import { byTestId, launchWithExtension, messageTexts, waitVisible, type ExtensionBrowser } from '../support/browser';
import { acceptChat, signInPanel, startE2eServer, startWidgetChat, type E2eServer, type WorkerGlobal as Worker } from '../support/e2e';

const OPERATOR = { email: 'olivia@acme.test', password: 'correct horse battery', account: 'Acme Rockets', name: 'Olivia' };

type Dispatch<A extends unknown[]> = { dispatch(...args: A): void };
type WorkerGlobal = {
  chrome: Worker['chrome'] & {
    contextMenus: { onClicked: Dispatch<[info: object, tab: object]> };
    notifications: { onButtonClicked: Dispatch<[id: string, button: number]>; onClicked: Dispatch<[id: string]> };
  };
  /** What the background asked Chrome to show (recorded by the test, then passed on unchanged). */
  shown?: { id: string; buttons: string[] }[];
};

describe('P12: Accept on a new chat’s notification, Insert into chat', () => {
  let server: E2eServer;
  let ext: ExtensionBrowser;
  let sw: WebWorker;
  let operator: Page;
  let vera: Page;

  const notificationIds = () => sw.evaluate(() => (globalThis as unknown as WorkerGlobal).chrome.notifications.getAll().then((all) => Object.keys(all)));

  /** "Insert into chat" on `page`'s paragraph starting with `start`, as the context menu's click; returns the selected text. */
  async function insertFrom(page: Page, start: string): Promise<string> {
    await page.bringToFront();
    const selected = await page.evaluate((s) => {
      const p = [...document.querySelectorAll('p')].find((e) => e.textContent?.startsWith(s))!;
      getSelection()!.selectAllChildren(p);
      return getSelection()!.toString();
    }, start);
    await sw.evaluate(
      (text, url) =>
        (globalThis as unknown as WorkerGlobal).chrome.tabs.query({ url }).then(([tab]) => {
          (globalThis as unknown as WorkerGlobal).chrome.contextMenus.onClicked.dispatch(
            { menuItemId: 'insert-into-chat', selectionText: text, pageUrl: tab?.url, editable: false },
            tab ?? {},
          );
        }),
      selected,
      page.url(),
    );
    return selected;
  }

  const composerValue = () => operator.$eval('#composer-input', (el) => (el as HTMLTextAreaElement).value);

  beforeAll(async () => {
    server = await startE2eServer({ name: 'contextmenu', admin: OPERATOR });
    ext = await launchWithExtension();
    sw = await ext.serviceWorker();
    operator = await ext.browser.newPage();
    vera = await ext.browser.newPage();
    await operator.setViewport({ width: 400, height: 800 });
  });

  afterAll(async () => {
    await ext?.close();
    await server?.stop();
  });

  it('Accept on a new chat’s notification takes the chat, with the panel closed, and opens the panel on it', async () => {
    await signInPanel(operator, ext, server.url, OPERATOR);
    // The operator switches the Accept button on, in the account menu.
    await operator.click(byTestId('account-menu'));
    await (await waitVisible(operator, byTestId('notify-accept'))).click();
    await operator.waitForFunction(() => document.querySelector('[data-testid="notify-accept"]')?.getAttribute('aria-checked') === 'true');
    await expect
      .poll(() => sw.evaluate(() => (globalThis as unknown as WorkerGlobal).chrome.storage.local.get('notify-accept').then((v) => v['notify-accept'])))
      .toBe(true);
    // The panel is closed: the background alone holds the socket and notifies.
    await operator.close();
    await sw.evaluate(() => {
      const g = globalThis as unknown as WorkerGlobal;
      const api = g.chrome.notifications as unknown as { create(id: string, options: { buttons?: { title: string }[] }): Promise<string> };
      const create = api.create.bind(api);
      g.shown = [];
      api.create = (id, options) => {
        g.shown!.push({ id, buttons: (options.buttons ?? []).map((b) => b.title) });
        return create(id, options);
      };
    });

    await startWidgetChat(vera, server.url, { name: 'Vera', question: 'When is the next launch?' });
    await expect
      .poll(() => sw.evaluate(() => (globalThis as unknown as WorkerGlobal).shown!.filter((n) => n.id.startsWith('chat:'))), { timeout: 10_000 })
      .toEqual([{ id: expect.stringMatching(/^chat:/), buttons: ['Accept'] }]);
    const { id } = (await sw.evaluate(() => (globalThis as unknown as WorkerGlobal).shown!.find((n) => n.id.startsWith('chat:'))))!;
    await expect.poll(notificationIds, { timeout: 10_000 }).toContain(id);

    const panelOpened = ext.browser.waitForTarget((t) => t.url().endsWith('/sidepanel.html'), { timeout: 20_000 });
    await sw.evaluate((nid) => (globalThis as unknown as WorkerGlobal).chrome.notifications.onButtonClicked.dispatch(nid, 0), id);

    // The server gave Vera's chat to Olivia: the visitor is told.
    await expect.poll(() => messageTexts(vera), { timeout: 15_000 }).toContain('Olivia joined the chat');
    // The panel opened (the side panel, or a tab where Chrome refuses it without a user gesture) on that chat, accepted.
    const panel = await (await panelOpened).asPage();
    operator = panel;
    await operator.setViewport({ width: 400, height: 800 });
    const window = await waitVisible(operator, byTestId('chat-window', `[data-conversation-id="${id.slice('chat:'.length)}"]`), 20_000);
    expect(await window.evaluate((el) => el.querySelector('.cw-name')?.textContent?.trim())).toBe('Vera');
    await waitVisible(operator, byTestId('chat-close'));
    await expect.poll(notificationIds).not.toContain(id);
  });

  it('text selected on a page goes into the reply box of the chat going on', async () => {
    const composer = await waitVisible(operator, byTestId('composer-input'));
    await composer.type('Hello Vera!');

    // The operator selects a sentence on the company's page (the demo site stands in for any tab).
    const selected = await insertFrom(vera, 'Every Friday');
    expect(selected).toContain('Every Friday at 09:00 UTC from Mojave.');
    await operator.waitForFunction(() => (document.getElementById('composer-input') as HTMLTextAreaElement).value.includes('Every Friday'), {
      timeout: 10_000,
      polling: 100,
    });

    // After what was typed, nothing sent: the operator edits and sends it themselves.
    expect(await composerValue()).toBe(`Hello Vera! ${selected.trim()}`);
    await operator.bringToFront();
    await expectAccessible(operator, 'the panel with the inserted text');
    await operator.keyboard.press('Enter');
    await waitVisible(vera, byTestId('message', '[data-author="operator"]'));
    const sent = await vera.$$eval('>>> [data-testid="message"][data-author="operator"]', (els) => els.map((e) => e.textContent ?? ''));
    expect(sent.join(' ')).toContain('Every Friday at 09:00 UTC from Mojave.');
  });

  it('with several chats going and none of them shown, the operator picks the chat the text goes to', async () => {
    // A second chat of Olivia's (Bob, another visitor: another profile's storage), and Cy waiting.
    const bob = await (await ext.browser.createBrowserContext()).newPage();
    await startWidgetChat(bob, server.url, { name: 'Bob', question: 'Is there a student discount?' });
    await acceptChat(operator);
    await operator.waitForFunction(() => document.querySelector('[data-testid="chat-window"] .cw-name')?.textContent?.trim() === 'Bob');
    const cy = await (await ext.browser.createBrowserContext()).newPage();
    await startWidgetChat(cy, server.url, { name: 'Cy', question: 'Do you ship to Europe?' });
    const cyItem = await waitVisible(operator, byTestId('chat-item', '[data-status="waiting"]'));
    const cyId = (await cyItem.evaluate((el) => el.getAttribute('data-conversation-id')))!;

    // A click on Cy's notification shows Cy's chat, waiting: neither of Olivia's chats is shown now.
    await expect.poll(notificationIds, { timeout: 15_000 }).toContain(`chat:${cyId}`);
    await sw.evaluate((nid) => (globalThis as unknown as WorkerGlobal).chrome.notifications.onClicked.dispatch(nid), `chat:${cyId}`);
    await waitVisible(operator, byTestId('chat-window', `[data-conversation-id="${cyId}"]`));

    const selected = await insertFrom(vera, 'Every Friday');
    const picker = await waitVisible(operator, byTestId('insert-picker'));
    const choices = await picker.$$eval('[data-testid="insert-picker-chat"] strong', (els) => els.map((e) => e.textContent?.trim()));
    expect(choices).toEqual(['Vera', 'Bob']);
    await expectAccessible(operator, 'the chat picker');
    // Vera's chat, the first (the picker lists by when each chat began).
    await (await picker.$('[data-testid="insert-picker-chat"]'))!.click();
    await operator.waitForFunction(() => document.querySelector('[data-testid="chat-window"] .cw-name')?.textContent?.trim() === 'Vera');
    await operator.waitForFunction((text) => (document.getElementById('composer-input') as HTMLTextAreaElement | null)?.value === text, {}, selected.trim());
    expect(await operator.$(byTestId('insert-picker'))).toBeNull();
  });
});
