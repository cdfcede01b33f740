/**
 * W4 and W1 end to end: a supervisor's panel and an operator's panel, each in its own Chromium
 * with the built extension, and a visitor on the demo site. The supervisor opens the Monitor list,
 * opens the operator's chat (read-only, a whisper composer) and whispers; the operator sees it
 * highlighted and labelled, sees who watches, and whispers back; the visitor's widget and every
 * WebSocket frame its page receives (CDP) never hold either whisper. Then the supervisor takes
 * the chat over and the visitor sees her name. axe-core checks the Monitor list and the whisper
 * view. With E2E_SCREENSHOTS=<dir>: both at 252 and 400 px.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, WIDGET } from '../support/axe';
import { byTestId, launchWithExtension, messageTexts, typeInto, waitVisible, type ExtensionBrowser } from '../support/browser';
import { adminToken, fillPrechat, inviteMember, openPanel, restClient, shoot as shootAt, startE2eServer, type E2eServer, type Rest } from '../support/e2e';

const ADMIN = { email: 'ada@shop.test', password: 'correct horse battery', account: 'Shop', name: 'Ada Admin' };
const PASSWORD = 'a long enough passphrase';
const WHISPER = 'Offer her the express refund';
const BACK = 'Already did, she wants it in writing';

describe('monitoring, whispers and take over in the browser (W4, W1)', () => {
  let server: E2eServer;
  let rest: Rest;
  const browsers: ExtensionBrowser[] = [];

  beforeAll(async () => {
    server = await startE2eServer({ name: 'supervision', admin: ADMIN, publicUrl: true });
    rest = restClient(server.url);
    browsers.push(...(await Promise.all([launchWithExtension(), launchWithExtension()])));
  });

  afterAll(async () => {
    await Promise.all(browsers.map((b) => b.close()));
    await server?.stop();
  });

  /** A member of the account, through the real invitation. */
  const invite = (token: string, email: string, name: string, role: 'operator' | 'supervisor') =>
    inviteMember(rest, token, { email, name, password: PASSWORD, role });
  const panelOf = (ext: ExtensionBrowser, email: string) => openPanel(ext, server.url, { email, password: PASSWORD });
  const shoot = (page: Page, name: string) => shootAt(page, name, [252, 400], 760);

  const widgetText = (page: Page) => page.evaluate(() => document.querySelector('#sidedesk-widget')?.shadowRoot?.textContent ?? '');

  it('a supervisor monitors a chat and whispers; the operator answers in a whisper; the visitor never gets either; take over shows her name', async () => {
    const token = await adminToken(rest, ADMIN);
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
    await fillPrechat(vera, { name: 'Vera', question: 'Where is my refund?' });

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
