/**
 * #6 end to end (A1, P11, P5): two operators in one department with auto-assign, each in their own
 * Chromium with the built extension, and two visitors on the demo site. Auto-assignment spreads
 * the two chats over the two operators; one transfers their chat to the other with a note; the
 * visitor sees the new operator's name and never the note. axe-core checks every screen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxPage } from '../../shared/schemas/mail';
import { expectAccessible, WIDGET } from '../support/axe';
import { byTestId, launchWithExtension, messageTexts, typeInto, waitVisible, type ExtensionBrowser } from '../support/browser';
import { freePort, runSetup, startServerProcess, type ServerProcess } from '../support/process';

const ADMIN = { email: 'ada@shop.test', password: 'correct horse battery' };
const PASSWORD = 'a long enough passphrase';
const NOTE = 'Refund approved by finance, keep it quiet';

describe('routing in the browser (#6)', () => {
  let dataDir: string;
  let server: ServerProcess;
  const browsers: ExtensionBrowser[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'sidedesk-e2e-routing-'));
    await runSetup({ DATA_DIR: dataDir }, ['--email', ADMIN.email, '--password', ADMIN.password, '--account', 'Shop', '--name', 'Ada Admin']);
    const port = await freePort();
    server = await startServerProcess({ DATA_DIR: dataDir, PUBLIC_URL: `http://127.0.0.1:${port}` }, port);
    browsers.push(...(await Promise.all([launchWithExtension(), launchWithExtension()])));
  });

  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function rest<T>(method: string, p: string, body?: unknown, token?: string): Promise<T> {
    const res = await fetch(`${server.url}${p}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  /** An operator of the account, through the real invitation: the mail's link, the page's form. */
  async function invite(token: string, email: string, name: string): Promise<string> {
    await rest('POST', '/api/team/invitations', { email, role: 'operator' }, token);
    let link: string | undefined;
    for (let i = 0; i < 100 && !link; i++) {
      const outbox = await rest<OutboxPage>('GET', '/api/mail/outbox', undefined, token);
      link = outbox.items.filter((m) => m.to.includes(email)).map((m) => /(http\S+\/invite\/[A-Za-z0-9_-]+)/.exec(m.text)?.[1])[0];
      if (!link) await new Promise((r) => setTimeout(r, 100));
    }
    const res = await fetch(link!, { method: 'POST', body: new URLSearchParams({ name, password: PASSWORD, passwordAgain: PASSWORD }) });
    expect(res.status).toBe(201);
    const team = await rest<{ members: { id: string; email: string }[] }>('GET', '/api/team', undefined, token);
    return team.members.find((m) => m.email === email)!.id;
  }

  /** The widget alone (its shadow root included): the demo page around it is not ours to check here. */
  const expectWidgetAccessible = (page: Page, what: string) => expectAccessible(page, what, WIDGET);

  async function panelOf(ext: ExtensionBrowser, email: string): Promise<Page> {
    const panel = await ext.browser.newPage();
    await panel.setViewport({ width: 400, height: 860 });
    await panel.goto(`chrome-extension://${ext.extensionId}/sidepanel.html`);
    await typeInto(panel, byTestId('login-server'), server.url);
    await typeInto(panel, byTestId('login-email'), email);
    await typeInto(panel, byTestId('login-password'), PASSWORD);
    await panel.click(byTestId('login-submit'));
    await waitVisible(panel, byTestId('connection-status', '[data-status="connected"]'));
    return panel;
  }

  async function startChat(ext: ExtensionBrowser, name: string, question: string): Promise<Page> {
    const page = await ext.browser.newPage();
    await page.setViewport({ width: 420, height: 800 });
    await page.goto(`${server.url}/demo/`);
    await page.click(byTestId('launcher'));
    await typeInto(page, byTestId('prechat-name'), name);
    await typeInto(page, byTestId('prechat-email'), `${name.toLowerCase()}@example.com`);
    await typeInto(page, byTestId('prechat-question'), question);
    // One department with someone online: the form asks nothing about it.
    expect(await page.$(byTestId('prechat-department'))).not.toBeNull();
    expect(await page.$eval(byTestId('prechat-department'), (el) => (el.closest('.field') as HTMLElement).hidden)).toBe(true);
    await expectWidgetAccessible(page, `${name}'s pre-chat form`);
    await page.click(byTestId('prechat-submit'));
    await waitVisible(page, byTestId('message', '[data-author="visitor"][data-seq="1"]'));
    return page;
  }

  /** The visitor's name in the chat window a panel shows. */
  const chatWith = (panel: Page) => panel.$eval(byTestId('chat-window'), (el) => el.querySelector('.cw-name')?.textContent?.trim() ?? '');

  it('spreads two chats over two operators, and a transfer with a note reaches the colleague but never the visitor', async () => {
    const { token } = await rest<{ token: string }>('POST', '/api/auth/login', ADMIN);
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
