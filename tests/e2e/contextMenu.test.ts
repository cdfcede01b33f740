/**
 * P12 "Insert into chat", end to end in Debian's Chromium with the built extension: the operator
 * has a chat going, selects text on a page and picks "Insert into chat" in the context menu; the
 * text lands in the reply box. Puppeteer can't open a native context menu, so the test fires the
 * browser's own `contextMenus.onClicked` event in the service worker, with the page's selection,
 * as a click would: the listener and everything after it are the production code.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe';
import { byTestId, launchWithExtension, waitVisible, type ExtensionBrowser } from '../support/browser';
import { acceptChat, signInPanel, startE2eServer, startWidgetChat, type E2eServer, type WorkerGlobal as Worker } from '../support/e2e';

const OPERATOR = { email: 'olivia@acme.test', password: 'correct horse battery', account: 'Acme Rockets', name: 'Olivia' };

type WorkerGlobal = { chrome: Worker['chrome'] & { contextMenus: { onClicked: { dispatch(info: object, tab: object): void } } } };

describe('context menu: Insert into chat (P12)', () => {
  let server: E2eServer;
  let ext: ExtensionBrowser;
  let operator: Page;
  let vera: Page;

  beforeAll(async () => {
    server = await startE2eServer({ name: 'contextmenu', admin: OPERATOR });
    ext = await launchWithExtension();
    operator = await ext.browser.newPage();
    vera = await ext.browser.newPage();
    await operator.setViewport({ width: 400, height: 800 });
  });

  afterAll(async () => {
    await ext?.close();
    await server?.stop();
  });

  it('text selected on a page goes into the reply box of the chat going on', async () => {
    await signInPanel(operator, ext, server.url, OPERATOR);
    await operator.click(byTestId('tab-chats'));

    await startWidgetChat(vera, server.url, { name: 'Vera', question: 'When is the next launch?' });

    await acceptChat(operator);
    const composer = await waitVisible(operator, byTestId('composer-input'));
    await composer.type('Hello Vera!');

    // The operator selects a sentence on the company's page (the demo site stands in for any tab).
    await vera.bringToFront();
    const selected = await vera.evaluate(() => {
      const p = [...document.querySelectorAll('p')].find((e) => e.textContent?.startsWith('Every Friday'))!;
      getSelection()!.selectAllChildren(p);
      return getSelection()!.toString();
    });
    expect(selected).toContain('Every Friday at 09:00 UTC from Mojave.');
    const sw = await ext.serviceWorker();
    const click = () =>
      sw.evaluate(
        (text, url) =>
          (globalThis as unknown as WorkerGlobal).chrome.tabs.query({ url }).then(([tab]) => {
            (globalThis as unknown as WorkerGlobal).chrome.contextMenus.onClicked.dispatch(
              { menuItemId: 'insert-into-chat', selectionText: text, pageUrl: tab?.url, editable: false },
              tab ?? {},
            );
          }),
        selected,
        `${server.url}/demo/*`,
      );
    await click();
    await operator.waitForFunction(() => (document.getElementById('composer-input') as HTMLTextAreaElement).value.includes('Every Friday'), {
      timeout: 10_000,
      polling: 100,
    });

    // After what was typed, nothing sent: the operator edits and sends it themselves.
    const value = await operator.$eval('#composer-input', (el) => (el as HTMLTextAreaElement).value);
    expect(value).toBe(`Hello Vera! ${selected.trim()}`);
    await operator.bringToFront();
    await expectAccessible(operator, 'the panel with the inserted text');
    await operator.keyboard.press('Enter');
    await waitVisible(vera, byTestId('message', '[data-author="operator"]'));
    const sent = await vera.$$eval('>>> [data-testid="message"][data-author="operator"]', (els) => els.map((e) => e.textContent ?? ''));
    expect(sent.join(' ')).toContain('Every Friday at 09:00 UTC from Mojave.');
  });
});
