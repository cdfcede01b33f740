/**
 * W4 and W1 end to end: a supervisor's panel and an operator's panel, each in its own Chromium
 * with the built extension, and a visitor on the demo site. The supervisor opens the Monitor list,
 * opens the operator's chat (read-only, a whisper composer) and whispers; the operator sees it
 * highlighted and labelled, sees who watches, and whispers back; the visitor's widget and every
 * WebSocket frame its page receives (CDP) never hold either whisper. W2, W3: the operator clicks
 * Respond on the supervisor's whisper (by keyboard): the internal chat opens with the whisper quoted
 * and a link back to the visitor chat, on both sides; they exchange messages there, and none of it
 * reaches the visitor either. Then the supervisor takes
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
const ASK = 'Can I promise the refund by Friday?';
const ANSWER = 'Yes, Friday is fine';

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

    // W2: Respond on Sue's whisper, by keyboard: the internal chat with her opens, the whisper quoted, a link back.
    await bob.focus(byTestId('whisper-respond'));
    await bob.keyboard.press('Enter');
    await waitVisible(bob, byTestId('team-chat-window'));
    const quoteOf = (page: Page) => page.$eval(byTestId('team-quote'), (el) => el.textContent ?? '');
    await expect.poll(() => quoteOf(bob).catch(() => ''), { timeout: 10_000 }).toContain(WHISPER);
    expect(await bob.$eval(byTestId('team-chat-title'), (el) => el.textContent?.trim())).toBe('Sue');
    await typeInto(bob, byTestId('team-composer'), ASK);
    await bob.keyboard.press('Enter');
    const teamTexts = (page: Page) => page.$$eval(byTestId('team-message-body'), (els) => els.map((e) => e.textContent?.trim() ?? ''));
    await expect.poll(() => teamTexts(bob), { timeout: 10_000 }).toContain(ASK);
    // Sue: the Team section of her Chats tab has it, unread; she opens it, sees the same quote and link, and answers.
    const teamItem = await waitVisible(sue, byTestId('team-chat-item'));
    await expect.poll(() => teamItem.evaluate((el) => el.querySelector('.count-badge')?.textContent?.trim() ?? ''), { timeout: 10_000 }).toBe('2');
    await teamItem.click();
    await waitVisible(sue, byTestId('team-chat-window'));
    expect(await quoteOf(sue)).toContain(WHISPER);
    await expect.poll(() => teamTexts(sue), { timeout: 10_000 }).toContain(ASK);
    await typeInto(sue, byTestId('team-composer'), ANSWER);
    await sue.keyboard.press('Enter');
    await expect.poll(() => teamTexts(bob), { timeout: 10_000 }).toContain(ANSWER);
    // Bob's message is read by Sue: "Seen" under it on his side.
    await waitVisible(bob, byTestId('team-seen'));
    await expectAccessible(bob, 'the internal chat');
    await shootAt(bob, 'internal-chat', [252, 400, 1280], 760);
    await shootAt(sue, 'internal-chat-supervisor', [252, 400, 1280], 760);

    // W3: "Message" on Sue in View operators (the Team tab) reopens that same chat, not a new one.
    await bob.click(byTestId('tab-team'));
    await (await waitVisible(bob, `${byTestId('operator-message')}[aria-label="Message Sue"]`)).click();
    await expect.poll(() => teamTexts(bob), { timeout: 10_000 }).toEqual([ASK, ANSWER]);
    expect(await quoteOf(bob)).toContain(WHISPER);
    await expectAccessible(bob, 'View operators with Message');
    await shootAt(bob, 'internal-chat-team-tab', [252, 400], 760);
    await bob.click(byTestId('tab-chats'));

    // The link back: Bob is in Vera's chat again; Sue too (to take it over below).
    await bob.click(byTestId('team-quote-open'));
    await waitVisible(bob, byTestId('composer-input'));
    await sue.click(byTestId('team-quote-open'));
    await waitVisible(sue, byTestId('chat-takeover'));

    // Bob answers Vera (not a whisper); she gets that, and nothing of the whispers nor of the internal chat.
    if (await bob.$(`${byTestId('composer')}[data-whisper="true"]`)) await bob.click(byTestId('composer-whisper'));
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
    for (const secret of [WHISPER, BACK, ASK, ANSWER]) {
      expect(shown).not.toContain(secret);
      expect(received).not.toContain(secret);
    }
    expect(received).toContain('We are on it, Vera');
    expect(received).toContain('Sue took over the chat');
    expect(received).not.toContain('teamchat');
  }, 150_000);
});
