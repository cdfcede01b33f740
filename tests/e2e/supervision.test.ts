/**
 * W4 and W1 end to end: a supervisor's panel and an operator's panel, each in its own Chromium
 * with the built extension, and a visitor on the demo site. The supervisor opens the Monitor list,
 * opens the operator's chat (read-only, a whisper composer) and whispers; the operator sees it
 * highlighted and labelled, sees who watches, and whispers back; the visitor's widget and every
 * WebSocket frame its page receives (CDP) never hold either whisper. Then the supervisor takes
 * the chat over and the visitor sees her name. axe-core checks the Monitor list and the whisper
 * view. With E2E_SCREENSHOTS=<dir>: both at 252 and 400 px.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
const WHISPER = 'Offer her the express refund';
const BACK = 'Already did, she wants it in writing';
const SHOTS = process.env.E2E_SCREENSHOTS;

describe('monitoring, whispers and take over in the browser (W4, W1)', () => {
  let dataDir: string;
  let server: ServerProcess;
  const browsers: ExtensionBrowser[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'sidedesk-e2e-supervision-'));
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

  /** A member of the account, through the real invitation: the mail's link, the page's form. */
  async function invite(token: string, email: string, name: string, role: 'operator' | 'supervisor'): Promise<void> {
    await rest('POST', '/api/team/invitations', { email, role }, token);
    let link: string | undefined;
    for (let i = 0; i < 100 && !link; i++) {
      const outbox = await rest<OutboxPage>('GET', '/api/mail/outbox', undefined, token);
      link = outbox.items.filter((m) => m.to.includes(email)).map((m) => /(http\S+\/invite\/[A-Za-z0-9_-]+)/.exec(m.text)?.[1])[0];
      if (!link) await new Promise((r) => setTimeout(r, 100));
    }
    const res = await fetch(link!, { method: 'POST', body: new URLSearchParams({ name, password: PASSWORD, passwordAgain: PASSWORD }) });
    expect(res.status).toBe(201);
  }

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

  async function shoot(page: Page, name: string) {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await page.bringToFront();
    const before = page.viewport();
    for (const width of [252, 400]) {
      await page.setViewport({ width, height: 760 });
      await new Promise((r) => setTimeout(r, 300));
      await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`) });
    }
    if (before) await page.setViewport(before);
  }

  const widgetText = (page: Page) => page.evaluate(() => document.querySelector('#sidedesk-widget')?.shadowRoot?.textContent ?? '');

  it('a supervisor monitors a chat and whispers; the operator answers in a whisper; the visitor never gets either; take over shows her name', async () => {
    const { token } = await rest<{ token: string }>('POST', '/api/auth/login', ADMIN);
    await invite(token, 'bob@shop.test', 'Bob', 'operator');
    await invite(token, 'sue@shop.test', 'Sue', 'supervisor');
    const [extBob, extSue] = browsers as [ExtensionBrowser, ExtensionBrowser];
    const bob = await panelOf(extBob, 'bob@shop.test');
    const sue = await panelOf(extSue, 'sue@shop.test');

    // The visitor, every WebSocket frame of their page recorded from the start.
    const vera = await extBob.browser.newPage();
    await vera.setViewport({ width: 420, height: 800 });
    const frames: string[] = [];
    const cdp = await vera.createCDPSession();
    await cdp.send('Network.enable');
    cdp.on('Network.webSocketFrameReceived', (e) => frames.push(e.response.payloadData));
    await vera.goto(`${server.url}/demo/`);
    await (await waitVisible(vera, byTestId('launcher'))).click();
    await typeInto(vera, byTestId('prechat-name'), 'Vera');
    await typeInto(vera, byTestId('prechat-email'), 'vera@example.com');
    await typeInto(vera, byTestId('prechat-question'), 'Where is my refund?');
    await vera.click(byTestId('prechat-submit'));
    await waitVisible(vera, byTestId('message', '[data-author="visitor"][data-seq="1"]'));

    // Bob accepts it.
    await (await waitVisible(bob, byTestId('chat-accept'))).click();
    await waitVisible(bob, byTestId('composer-input'));

    // Sue's Monitor list: Bob's chat, with his name.
    const item = await waitVisible(sue, `${byTestId('monitor-list')} [data-testid="chat-item"]`);
    expect(await item.evaluate((el) => el.textContent)).toContain('with Bob');
    await expectAccessible(sue, 'the Monitor list');
    await shoot(sue, 'supervision-monitor');

    // She opens it: read-only, a whisper composer; Bob sees her watching.
    await (await item.$('button.citem-main'))!.click();
    await waitVisible(sue, byTestId('whisper-bar'));
    expect(await sue.$eval(byTestId('composer-input'), (el) => (el as HTMLTextAreaElement).placeholder)).toBe('Whisper to Bob');
    expect(await sue.$(byTestId('chat-close'))).toBeNull();
    await expect.poll(() => bob.$eval(byTestId('chat-watched-by'), (el) => el.textContent?.trim()).catch(() => ''), { timeout: 10_000 }).toBe('Watched by Sue');

    await typeInto(sue, byTestId('composer-input'), WHISPER);
    await sue.keyboard.press('Enter');
    await expect.poll(() => messageTexts(sue), { timeout: 10_000 }).toContain(WHISPER);
    await expectAccessible(sue, 'the whisper view');
    await shoot(sue, 'supervision-whisper');

    // Bob has it in line, highlighted and labelled; he whispers back with the Whisper switch (keyboard).
    await expect.poll(() => messageTexts(bob), { timeout: 10_000 }).toContain(WHISPER);
    expect(await bob.$$eval(byTestId('whisper-label'), (els) => els.map((e) => e.textContent?.trim()))).toContain('Whisper from Sue');
    await bob.focus(byTestId('composer-whisper'));
    await bob.keyboard.press('Enter');
    await waitVisible(bob, byTestId('whisper-bar'));
    expect(await bob.$eval(byTestId('composer-whisper'), (el) => el.getAttribute('aria-pressed'))).toBe('true');
    await typeInto(bob, byTestId('composer-input'), BACK);
    await bob.keyboard.press('Enter');
    await expect.poll(() => messageTexts(sue), { timeout: 10_000 }).toContain(BACK);
    await expectAccessible(bob, "Bob's chat with the whispers");
    await shoot(bob, 'supervision-operator');

    // Bob switches back and answers Vera; she gets that, and nothing of the whispers.
    await bob.click(byTestId('composer-whisper'));
    await typeInto(bob, byTestId('composer-input'), 'We are on it, Vera');
    await bob.keyboard.press('Enter');
    await expect.poll(() => messageTexts(vera), { timeout: 10_000 }).toContain('We are on it, Vera');

    // Sue takes it over (confirmed): Vera sees her name; Bob is told.
    await sue.bringToFront();
    await sue.click(byTestId('chat-takeover'));
    await waitVisible(sue, byTestId('takeover-confirm'));
    await sue.click(byTestId('takeover-yes'));
    await waitVisible(sue, `${byTestId('composer')}[data-whisper="false"]`);
    await expect.poll(() => messageTexts(vera), { timeout: 10_000 }).toContain('Sue took over the chat');
    await vera.waitForFunction(() =>
      document.querySelector('#sidedesk-widget')?.shadowRoot?.querySelector('[data-testid="chat-status"]')?.textContent?.includes('Sue'),
    );
    await expect.poll(() => bob.$eval(byTestId('supervision-notice'), (el) => el.textContent).catch(() => ''), { timeout: 10_000 }).toContain('Sue took over');
    await expectAccessible(vera, 'the widget after the take over', WIDGET);

    const shown = await widgetText(vera);
    const received = frames.join('\n');
    for (const secret of [WHISPER, BACK]) {
      expect(shown).not.toContain(secret);
      expect(received).not.toContain(secret);
    }
    expect(received).toContain('We are on it, Vera');
    expect(received).toContain('Sue took over the chat');
  }, 90_000);
});
