/**
 * #5 file transfer in chat (P7), end to end: an image and a file sent both ways between the
 * demo site's widget and the built extension's panel, then opened: the image previews load and
 * the file links download with their name. Screenshots (SCREENSHOTS_DIR, default a temporary
 * directory) show the widget on desktop and at 375 px, the panel at 400 px, and an upload in flight.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, WIDGET } from '../support/axe';
import { byTestId, launchWithExtension, waitVisible, type ExtensionBrowser } from '../support/browser';
import { acceptChat, signInPanel, startE2eServer, startWidgetChat, type E2eServer } from '../support/e2e';
import { PDF, PNG } from '../support/files';

const OPERATOR = { email: 'olivia@acme.test', password: 'correct horse battery', account: 'Acme Rockets' };

/** A visible 96×64 PNG, a gradient (the 1×1 one is too small to look at in a screenshot). */
function picture(width = 96, height = 64): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) rows.set([67 + (x * 120) / width, 56 + (y * 150) / height, 202], y * (width * 3 + 1) + 1 + x * 3);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('file transfer in chat (#5)', () => {
  let files: string;
  let shots: string;
  let server: E2eServer;
  let ext: ExtensionBrowser;
  let visitor: Page;
  let operator: Page;

  beforeAll(async () => {
    server = await startE2eServer({ name: 'files', admin: OPERATOR, env: (dataDir) => ({ FILES_DIR: path.join(dataDir, 'files') }) });
    const { dataDir } = server;
    files = path.join(dataDir, 'upload');
    mkdirSync(files);
    shots = process.env.SCREENSHOTS_DIR ?? path.join(dataDir, 'shots');
    mkdirSync(shots, { recursive: true });
    writeFileSync(path.join(files, 'rocket.png'), picture());
    writeFileSync(path.join(files, 'ticket.pdf'), PDF);
    writeFileSync(path.join(files, 'boarding pass.pdf'), PDF);
    writeFileSync(path.join(files, 'seat.png'), PNG);
    // Big enough to watch its progress on a throttled connection.
    writeFileSync(path.join(files, 'manual.pdf'), Buffer.concat([PDF, Buffer.alloc(600 * 1024, 0x20)]));
    ext = await launchWithExtension();
    visitor = await ext.browser.newPage();
    operator = await ext.browser.newPage();
  }, 120_000);

  afterAll(async () => {
    await ext?.close();
    await server?.stop();
  });

  const upload = async (page: Page, name: string) => {
    // The input is hidden behind the paperclip: wait for the button, then hand the input the file.
    await waitVisible(page, byTestId('composer-attach'));
    const input = (await page.$(byTestId('composer-file'))) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(path.join(files, name));
  };
  /** The image previews of a page have loaded (naturalWidth > 0) for every `alt`. */
  const imagesLoaded = (page: Page, alt: string) =>
    page.waitForFunction(
      (a) => {
        const all = (root: Document | ShadowRoot): HTMLImageElement[] => [
          ...root.querySelectorAll<HTMLImageElement>('img[data-testid="file-image"]'),
          ...[...root.querySelectorAll('*')].flatMap((el) => (el.shadowRoot ? all(el.shadowRoot) : [])),
        ];
        const imgs = all(document).filter((i) => i.alt === a);
        return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
      },
      { timeout: 15_000 },
      alt,
    );
  /** The href of a file chip and what the server answers for it. */
  const chipDownload = async (page: Page, name: string) => {
    const chip = await waitVisible(page, byTestId('file-chip', `[download="${name}"]`));
    const href = await chip.evaluate((a) => (a as HTMLAnchorElement).href);
    const res = await fetch(href);
    return { res, bytes: Buffer.from(await res.arrayBuffer()), rel: await chip.evaluate((a) => a.getAttribute('rel')) };
  };

  it('the visitor and the operator are in a chat', async () => {
    await operator.setViewport({ width: 400, height: 820 });
    await signInPanel(operator, ext, server.url, OPERATOR);

    await visitor.setViewport({ width: 1280, height: 800 });
    await startWidgetChat(visitor, server.url, { name: 'Vera Visitor', email: 'vera@example.com', question: 'Can I bring my own helmet?' });
    await acceptChat(operator);
    await waitVisible(operator, byTestId('composer-input'));
  });

  it('the visitor sends an image and a file; both sides preview the image and download the file', async () => {
    await upload(visitor, 'rocket.png');
    await imagesLoaded(visitor, 'rocket.png');
    await upload(visitor, 'ticket.pdf');
    await waitVisible(visitor, byTestId('file-chip', '[download="ticket.pdf"]'));

    await operator.bringToFront();
    await imagesLoaded(operator, 'rocket.png');
    const got = await chipDownload(operator, 'ticket.pdf');
    expect(got.res.status).toBe(200);
    expect(got.res.headers.get('content-disposition')).toBe(`attachment; filename="ticket.pdf"; filename*=UTF-8''ticket.pdf`);
    expect(got.bytes.equals(PDF)).toBe(true);
    expect(got.rel).toBe('noopener');
    // The preview links to the full size in a new tab.
    const link = await operator.$(byTestId('file-image-link'));
    expect(await link!.evaluate((a) => [a.getAttribute('target'), a.getAttribute('rel')])).toEqual(['_blank', 'noopener']);
  });

  it('the operator sends an image and a file; the visitor previews and downloads them', async () => {
    await upload(operator, 'seat.png');
    await imagesLoaded(operator, 'seat.png');
    await upload(operator, 'boarding pass.pdf');
    await waitVisible(operator, byTestId('file-chip', '[download="boarding pass.pdf"]'));

    await visitor.bringToFront();
    await imagesLoaded(visitor, 'seat.png');
    const got = await chipDownload(visitor, 'boarding pass.pdf');
    expect(got.res.headers.get('content-disposition')).toBe(`attachment; filename="boarding pass.pdf"; filename*=UTF-8''boarding%20pass.pdf`);
    expect(got.bytes.equals(PDF)).toBe(true);

    await expectAccessible(visitor, 'the widget with files both ways', WIDGET);
    await visitor.screenshot({ path: path.join(shots, 'widget-desktop.png') });
    await operator.bringToFront();
    await expectAccessible(operator, 'the panel with files both ways');
    await operator.screenshot({ path: path.join(shots, 'panel-400.png') });
    await visitor.bringToFront();
    await visitor.setViewport({ width: 375, height: 740 });
    await visitor.screenshot({ path: path.join(shots, 'widget-375.png') });
  });

  it('shows an upload in flight with its progress', async () => {
    for (const [page, name] of [
      [visitor, 'widget-uploading.png'],
      [operator, 'panel-uploading.png'],
    ] as const) {
      const cdp = await page.createCDPSession();
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 50, downloadThroughput: -1, uploadThroughput: 60 * 1024 });
      await upload(page, 'manual.pdf');
      const bar = await waitVisible(page, '>>> [role="progressbar"]');
      await page.waitForFunction((el) => Number(el.getAttribute('aria-valuenow')) > 5, {}, bar);
      await page.screenshot({ path: path.join(shots, name) });
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await waitVisible(page, byTestId('file-chip', '[download="manual.pdf"]'), 30_000);
      await cdp.detach();
    }
  }, 90_000);
});
