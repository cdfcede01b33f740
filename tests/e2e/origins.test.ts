/**
 * #4 end to end: the real widget in Chromium on two websites, one the account allows (given to
 * `npm run setup --origin`) and one it doesn't. The second is refused at the handshake and says so
 * once in the console, and its visitors see no widget.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byTestId, launchWithExtension, waitVisible, type ExtensionBrowser } from '../support/browser';
import { startE2eServer, type E2eServer } from '../support/e2e';

/** A customer's website: one page with the widget snippet. */
async function website(snippet: () => string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!doctype html><title>Shop</title><h1>Shop</h1>${snippet()}`),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('widget origins in the browser', () => {
  let server: E2eServer;
  let ext: ExtensionBrowser;
  let accountId = '';
  const snippet = () => `<script async src="${server.url}/widget.js" data-account="${accountId}"></script>`;
  let allowed: Awaited<ReturnType<typeof website>>;
  let foreign: Awaited<ReturnType<typeof website>>;

  beforeAll(async () => {
    allowed = await website(snippet);
    foreign = await website(snippet);
    server = await startE2eServer({
      name: 'origins',
      admin: { email: 'ada@shop.test', password: 'correct horse battery', account: 'Shop' },
      allowedOrigins: [allowed.url],
    });
    accountId = server.accountId;
    ext = await launchWithExtension();
  });

  afterAll(async () => {
    await ext?.close();
    await server?.stop();
    allowed?.server.close();
    foreign?.server.close();
  });

  async function open(url: string): Promise<{ page: Page; errors: string[] }> {
    const page = await ext.browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && m.text().includes('Sidedesk') && errors.push(m.text()));
    await page.goto(url);
    return { page, errors };
  }

  it('runs on a website the account allows', async () => {
    const { page, errors } = await open(allowed.url);
    await waitVisible(page, byTestId('launcher'));
    await page.click(byTestId('launcher'));
    await waitVisible(page, byTestId('prechat-name'));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('is refused on any other website: one clear console error, no retries, nothing shown', async () => {
    const { page, errors } = await open(foreign.url);
    const deadline = Date.now() + 10_000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(errors).toEqual([
      `[Sidedesk] This site (${foreign.url}) is not in the account's allowed website addresses; an admin can add it in the Sidedesk extension's options.`,
    ]);
    // Longer than the widget's first retry after other refusals (4 s): it stays quiet and hidden.
    await new Promise((r) => setTimeout(r, 4_500));
    expect(errors).toHaveLength(1);
    expect(await page.$('#sidedesk-widget')).toBeNull();
    await page.close();
  });
});
