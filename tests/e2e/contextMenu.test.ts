/**
 * P12 "Insert into chat", end to end in Debian's Chromium with the built extension: the operator
 * has a chat going, selects text on a page and picks "Insert into chat" in the context menu; the
 * text lands in the reply box. Puppeteer can't open a native context menu, so the test fires the
 * browser's own `contextMenus.onClicked` event in the service worker, with the page's selection,
 * as a click would: the listener and everything after it are the production code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser as ChromeApi } from 'wxt/browser';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe';
import { byTestId, launchWithExtension, typeInto, waitVisible, type ExtensionBrowser } from '../support/browser';
import { runSetup, startServerProcess, type ServerProcess } from '../support/process';

const OPERATOR = { email: 'olivia@acme.test', password: 'correct horse battery', account: 'Acme Rockets', name: 'Olivia' };

type WorkerGlobal = { chrome: typeof ChromeApi & { contextMenus: { onClicked: { dispatch(info: object, tab: object): void } } } };

describe('context menu: Insert into chat (P12)', () => {
  let dataDir: string;
  let server: ServerProcess;
  let ext: ExtensionBrowser;
  let operator: Page;
  let vera: Page;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'sidedesk-e2e-contextmenu-'));
    await runSetup({ DATA_DIR: dataDir }, ['--email', OPERATOR.email, '--password', OPERATOR.password, '--account', OPERATOR.account, '--name', OPERATOR.name]);
    server = await startServerProcess({ DATA_DIR: dataDir });
    ext = await launchWithExtension();
    operator = await ext.browser.newPage();
    vera = await ext.browser.newPage();
    await operator.setViewport({ width: 400, height: 800 });
  });

  afterAll(async () => {
    await ext?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('text selected on a page goes into the reply box of the chat going on', async () => {
    await operator.bringToFront();
    await operator.goto(`chrome-extension://${ext.extensionId}/sidepanel.html`);
    await typeInto(operator, byTestId('login-server'), server.url);
    await typeInto(operator, byTestId('login-email'), OPERATOR.email);
    await typeInto(operator, byTestId('login-password'), OPERATOR.password);
    await operator.click(byTestId('login-submit'));
    await waitVisible(operator, byTestId('connection-status', '[data-status="connected"]'));
    await operator.click(byTestId('tab-chats'));

    await vera.bringToFront();
    await vera.goto(`${server.url}/demo/`);
    await (await waitVisible(vera, byTestId('launcher'))).click();
    await typeInto(vera, byTestId('prechat-name'), 'Vera');
    await typeInto(vera, byTestId('prechat-email'), 'vera@example.com');
    await typeInto(vera, byTestId('prechat-question'), 'When is the next launch?');
    await vera.click(byTestId('prechat-submit'));
    await waitVisible(vera, byTestId('message', '[data-author="visitor"][data-seq="1"]'));

    await operator.bringToFront();
    await (await waitVisible(operator, byTestId('chat-accept'))).click();
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
