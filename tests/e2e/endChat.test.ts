/**
 * End of chat (V2, #5), end to end in Debian's Chromium: on the demo site the visitor ends the
 * chat, rates it and asks for the transcript; the operator sees the rating in the side panel; the
 * transcript mail arrives (a real SMTP server on loopback); P5 (#6): the operator reopens the chat
 * from the archive and the visitor's widget is back in it, live; closed again, the chat is reopened
 * from its window by keyboard. axe-core checks the widget's end of chat, and the panel's archive
 * (P9) that finds the chat by a word: no serious or critical violation. With
 * E2E_SCREENSHOTS=<dir>, the states are saved as PNGs (the widget at 1280 and 375 px, the panel at
 * 400 px).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, WIDGET } from '../support/axe';
import { byTestId, launchWithExtension, messageTexts, typeInto, waitVisible, type ExtensionBrowser } from '../support/browser';
import { until } from '../support/cluster';
import { acceptChat, send, shoot, signInPanel, startE2eServer, startWidgetChat, type E2eServer } from '../support/e2e';
import { startSmtp, type TestSmtp } from '../support/smtp';

const OPERATOR = { email: 'olivia@acme.test', password: 'correct horse battery', account: 'Acme Rockets', name: 'Olivia' };
const VISITOR = { name: 'Vera Visitor', email: 'vera@example.com', question: 'Do your rockets ship to Mars?' };

describe('end of chat: end, rate, transcript (V2)', () => {
  let smtp: TestSmtp;
  let server: E2eServer;
  let ext: ExtensionBrowser;
  let visitor: Page;
  let operator: Page;

  beforeAll(async () => {
    smtp = await startSmtp();
    server = await startE2eServer({ name: 'end', admin: OPERATOR, env: () => ({ SMTP_URL: smtp.url, MAIL_FROM: 'Acme Rockets <support@acme.test>' }) });
    ext = await launchWithExtension();
    visitor = await ext.browser.newPage();
    operator = await ext.browser.newPage();
    await visitor.setViewport({ width: 1280, height: 800 });
    await operator.setViewport({ width: 400, height: 800 });
  });

  afterAll(async () => {
    await ext?.close();
    await server?.stop();
    await smtp?.stop();
  });

  it('the operator signs in; the visitor starts a chat the operator accepts and answers', async () => {
    await signInPanel(operator, ext, server.url, OPERATOR);
    await startWidgetChat(visitor, server.url, VISITOR);
    await acceptChat(operator);
    await send(operator, 'Hi Vera! Yes, every Tuesday.');
    await waitVisible(visitor, byTestId('message', '[data-author="operator"]'));
  });

  it('the visitor ends the chat from its header, after confirming; the operator sees it closed', async () => {
    await visitor.bringToFront();
    await visitor.click(byTestId('chat-end'));
    await waitVisible(visitor, byTestId('end-confirm'));
    // Keyboard: the confirm step has focus on "Keep chatting"; Tab reaches "End chat".
    expect(await visitor.evaluate(() => document.querySelector('#sidedesk-widget')!.shadowRoot!.activeElement?.getAttribute('data-testid'))).toBe(
      'chat-end-cancel',
    );
    await expectAccessible(visitor, 'the end-chat confirmation', WIDGET);
    await shoot(visitor, 'widget-1-confirm', [1280, 375]);

    await visitor.keyboard.press('Tab');
    await visitor.keyboard.press('Enter');
    await waitVisible(visitor, byTestId('end-screen'));
    await visitor.waitForFunction(() => document.querySelector('#sidedesk-widget')?.getAttribute('data-chat') === 'closed');
    expect(await visitor.evaluate(() => document.querySelector('#sidedesk-widget')!.shadowRoot!.activeElement?.getAttribute('data-testid'))).toBe('rate-good');

    await operator.waitForFunction(() => document.querySelector('.cw-status')?.getAttribute('data-status') === 'closed');
    await expect.poll(() => messageTexts(operator)).toContain('Vera Visitor closed the chat');
  });

  it('the end of chat screen passes axe (no serious or critical violation)', async () => {
    await expectAccessible(visitor, 'the end of chat screen', WIDGET);
    await shoot(visitor, 'widget-2-ended', [1280, 375]);
  });

  it('the visitor rates it; the operator sees the rating in the chat window, live', async () => {
    await visitor.bringToFront();
    await visitor.click(byTestId('rate-good'));
    await waitVisible(visitor, byTestId('rate-comment'));
    // The thumb alone is stored at once.
    await waitVisible(operator, byTestId('chat-rating', '[data-score="good"]'));
    await typeInto(visitor, byTestId('rate-comment'), 'Quick & kind <3');
    await expectAccessible(visitor, 'the rating comment', WIDGET);
    await shoot(visitor, 'widget-3-comment', [1280, 375]);
    await visitor.click(byTestId('rate-send'));
    await visitor.waitForFunction(
      () => document.querySelector('#sidedesk-widget')!.shadowRoot!.querySelector('[data-testid="rate-thanks"]')?.textContent === 'Thanks for your feedback!',
    );

    await operator.bringToFront();
    await operator.waitForFunction(() => document.querySelector('[data-testid="chat-rating"]')?.textContent?.trim() === 'Rated Good: “Quick & kind <3”');
    await shoot(operator, 'panel-rating', [400]);
  });

  it('the archive finds the first chat by a word in it, and opens it read-only (P9)', async () => {
    await operator.bringToFront();
    await operator.click(byTestId('tab-archive'));
    await typeInto(operator, byTestId('archive-query'), 'mars');
    // The chat is indexed by a job after it closed (and again after its rating): search until it is in.
    await until(
      async () => {
        await operator.focus(byTestId('archive-query'));
        await operator.keyboard.press('Enter');
        await operator.waitForFunction(
          () =>
            !!document.querySelector('[data-testid="archive-result"], [data-testid="archive-empty"]') &&
            !document.querySelector('.arc-state[role="status"] .spinner'),
        );
        return !!(await operator.$(byTestId('archive-result')));
      },
      20_000,
      'the closed chat in the archive',
    );
    const result = await waitVisible(operator, byTestId('archive-result'));
    expect(await result.evaluate((el) => el.querySelector('mark')?.textContent)).toBe('Mars');
    expect(await result.evaluate((el) => el.textContent)).toContain('Vera Visitor');
    await expectAccessible(operator, 'the archive results');
    await shoot(operator, 'panel-archive', [252, 400]);
    // The other filters wait behind "Filters" (the form stays small at 252 px).
    await operator.click(byTestId('archive-filters-toggle'));
    await waitVisible(operator, byTestId('archive-rating'));
    await expectAccessible(operator, 'the archive filters');
    await shoot(operator, 'panel-archive-filters', [252, 400]);
    await operator.click(byTestId('archive-filters-toggle'));

    await result.click();
    await waitVisible(operator, byTestId('archive-transcript'));
    const transcriptTexts = () =>
      operator.$$eval('[data-testid="archive-transcript"] [data-testid="message-body"]', (els) => els.map((el) => el.textContent?.trim() ?? ''));
    await expect.poll(transcriptTexts).toContain('Hi Vera! Yes, every Tuesday.');
    expect(await operator.$('[data-testid="archive-transcript"] [data-testid="composer-input"]')).toBeNull();
    await expectAccessible(operator, 'a closed chat, read-only');
    await shoot(operator, 'panel-archive-chat', [252, 400]);
    // Back (Escape) returns to the results, the focus on the chat that was open.
    await operator.keyboard.press('Escape');
    await waitVisible(operator, byTestId('archive-results'));
    expect(await operator.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('archive-result');
    await operator.click(byTestId('tab-chats'));
  });

  it('the visitor asks for the transcript (pre-filled with their email) and it arrives with the conversation', async () => {
    await visitor.bringToFront();
    await visitor.click(byTestId('transcript-open'));
    const email = await waitVisible(visitor, byTestId('transcript-email'));
    expect(await email.evaluate((el) => (el as HTMLInputElement).value)).toBe(VISITOR.email);
    await expectAccessible(visitor, 'the transcript form', WIDGET);
    await shoot(visitor, 'widget-4-transcript', [1280, 375]);
    await visitor.click(byTestId('transcript-send'));
    await visitor.waitForFunction(() =>
      document.querySelector('#sidedesk-widget')!.shadowRoot!.querySelector('[data-testid="transcript-sent"]')?.textContent?.includes('vera@example.com'),
    );
    await expectAccessible(visitor, 'the transcript sent', WIDGET);
    await shoot(visitor, 'widget-5-sent', [1280, 375]);

    await until(() => smtp.received.length === 1, 20_000, 'the transcript mail');
    const { parsed, recipients } = smtp.received[0]!;
    expect(recipients).toEqual([VISITOR.email]);
    expect(parsed.subject).toBe('Your chat with Acme Rockets: transcript');
    const text = parsed.text ?? '';
    expect(text).toContain(`Vera Visitor: ${VISITOR.question}`);
    expect(text).toContain('Olivia: Hi Vera! Yes, every Tuesday.');
    expect(text).toContain('Vera Visitor closed the chat');
    expect(text).toContain('(times in UTC)');
  });

  it('the end screen stays on the next page, until the visitor starts a new chat', async () => {
    await visitor.bringToFront();
    await visitor.goto(`${server.url}/demo/pricing.html`);
    await visitor.click(byTestId('launcher'));
    await waitVisible(visitor, byTestId('transcript-sent'));
    await expect.poll(() => messageTexts(visitor)).toContain(VISITOR.question);
    const newChat = await visitor.waitForSelector('>>> .ended .btn:not(.sm)');
    await newChat!.click();
    await waitVisible(visitor, byTestId('prechat-question'));
  });

  it('the operator reopens the chat from the archive; the widget shows it live again and both write (P5)', async () => {
    await operator.bringToFront();
    await operator.click(byTestId('tab-archive'));
    await typeInto(operator, byTestId('archive-query'), 'mars');
    await operator.keyboard.press('Enter');
    await (await waitVisible(operator, byTestId('archive-result'))).click();
    await waitVisible(operator, byTestId('archive-transcript'));
    await expectAccessible(operator, 'a closed chat with Reopen');
    await shoot(operator, 'panel-archive-reopen', [252, 400]);
    await operator.click(byTestId('archive-reopen'));
    // Mine again, live in the chat pane; the archive no longer lists it.
    await operator.waitForFunction(() => document.querySelector('.cw-status')?.getAttribute('data-status') === 'active');
    await expect.poll(() => messageTexts(operator)).toContain('Olivia reopened the chat');
    expect(await operator.$(byTestId('archive-result'))).toBeNull();

    // The visitor, on the pre-chat form after their chat ended, is back in that chat, live.
    await visitor.bringToFront();
    await visitor.waitForFunction(() => document.querySelector('#sidedesk-widget')?.getAttribute('data-chat') === 'active');
    await expect.poll(() => messageTexts(visitor)).toContain('Olivia reopened the chat');
    expect(await messageTexts(visitor)).toContain(VISITOR.question);
    await expectAccessible(visitor, 'the reopened chat', WIDGET);
    await shoot(visitor, 'widget-6-reopened', [1280, 375]);
    await send(visitor, 'One more thing: do you ship to Venus?');
    await expect.poll(() => messageTexts(operator)).toContain('One more thing: do you ship to Venus?');

    await send(operator, 'Venus too, on Fridays.');
    await expect.poll(() => messageTexts(visitor)).toContain('Venus too, on Fridays.');
    await shoot(operator, 'panel-reopened', [252, 400]);
  });

  it('the operator closes the chat and reopens it from its window by keyboard; the widget is live again (P5)', async () => {
    await operator.bringToFront();
    await operator.click(byTestId('chat-close'));
    await operator.waitForFunction(() => document.querySelector('.cw-status')?.getAttribute('data-status') === 'closed');
    await visitor.waitForFunction(() => document.querySelector('#sidedesk-widget')?.getAttribute('data-chat') === 'closed');

    await operator.focus(byTestId('chat-reopen'));
    await operator.keyboard.press('Enter');
    await operator.waitForFunction(() => document.querySelector('.cw-status')?.getAttribute('data-status') === 'active');
    const reopenedLines = async (page: Page) => (await messageTexts(page)).filter((t) => t === 'Olivia reopened the chat').length;
    await expect.poll(() => reopenedLines(operator)).toBe(2);
    await visitor.waitForFunction(() => document.querySelector('#sidedesk-widget')?.getAttribute('data-chat') === 'active');
    await expect.poll(() => reopenedLines(visitor)).toBe(2);
  });
});
