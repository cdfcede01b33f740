import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

function siteFiles(withWidget: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidedesk-site-'));
  fs.mkdirSync(path.join(dir, 'demo'));
  fs.writeFileSync(
    path.join(dir, 'demo/index.html'),
    '<script async src="/widget.js" data-account="__SIDEDESK_ACCOUNT__"></script><a href="pricing.html">Pricing</a>',
  );
  fs.writeFileSync(path.join(dir, 'demo/pricing.html'), '<p>Pricing for __SIDEDESK_ACCOUNT__</p>');
  fs.writeFileSync(path.join(dir, 'demo/site.css'), 'body{margin:0}');
  if (withWidget) fs.writeFileSync(path.join(dir, 'widget.js'), 'console.log("widget")');
  return { widgetFile: path.join(dir, 'widget.js'), demoDir: path.join(dir, 'demo') };
}

describe('site routes', () => {
  it('answers /health and the landing page', async () => {
    const server = await h.server();
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ ok: true });
    const landing = await (await fetch(`${server.url}/`)).text();
    for (const href of ['/setup', '/demo/', '/health']) expect(landing).toContain(`href="${href}"`);
  });

  it('serves the built widget with a short cache and an ETag, and a clear 503 before it is built', async () => {
    const built = await h.server({}, { paths: siteFiles(true) });
    const res = await fetch(`${built.url}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    // node:http, because fetch adds `Cache-Control: no-cache` to conditional requests.
    const revalidated = await new Promise<number | undefined>((resolve, reject) =>
      http.get(`${built.url}/widget.js`, { headers: { 'if-none-match': etag! } }, (r) => resolve(r.resume().statusCode)).on('error', reject),
    );
    expect(revalidated).toBe(304);

    const missing = await h.server({}, { paths: siteFiles(false) });
    const unbuilt = await fetch(`${missing.url}/widget.js`);
    expect(unbuilt.status).toBe(503);
    expect(await unbuilt.text()).toContain('npm run build:widget');
  });

  it('sends the demo to /setup before the first account, then fills in the account id', async () => {
    const server = await h.server({}, { paths: siteFiles(true) });
    const before = await fetch(`${server.url}/demo/`, { redirect: 'manual' });
    expect(before.status).toBe(303);
    expect(before.headers.get('location')).toBe('/setup');

    const { account } = await h.account(server);
    const other = await h.account(server, { account: 'Other' });
    const index = await (await fetch(`${server.url}/demo/`)).text();
    expect(index).toContain(`data-account="${account.id}"`);
    expect(index).not.toContain('__SIDEDESK_ACCOUNT__');
    expect(await (await fetch(`${server.url}/demo/pricing.html?account=${other.account.id}`)).text()).toBe(`<p>Pricing for ${other.account.id}</p>`);
    expect((await fetch(`${server.url}/demo`, { redirect: 'manual' })).headers.get('location')).toBe('/demo/');
    expect((await fetch(`${server.url}/demo/..%2Fwidget.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/demo/missing.html`)).status).toBe(404);
    const css = await fetch(`${server.url}/demo/site.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toBe('body{margin:0}');
  });

  it('sends each kind of response its security headers (#4)', async () => {
    const server = await h.server({}, { paths: siteFiles(true) });
    await h.account(server);
    const get = async (path: string) => {
      const res = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      const csp = res.headers.get('content-security-policy') ?? '';
      const directives = Object.fromEntries(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([name = '', ...values]) => [name, values]),
      );
      return { res, csp, directives, body: await res.text() };
    };
    const paths = ['/', '/setup', '/demo/', '/demo/pricing.html', '/demo/site.css', '/widget.js', '/health', '/api/auth/me', '/api/nope', '/nope'];
    for (const path of paths) {
      const { res } = await get(path);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-powered-by'), path).toBeNull();
    }

    // The server's own pages: no script at all, only their inline stylesheet (by hash), never framed.
    for (const path of ['/', '/setup']) {
      const { directives, body, res } = await get(path);
      expect(directives['default-src'], path).toEqual(["'none'"]);
      expect(directives['script-src'], path).toBeUndefined();
      expect(directives['frame-ancestors'], path).toEqual(["'none'"]);
      expect(directives['form-action'], path).toEqual(["'self'"]);
      const style = /<style>([\s\S]*?)<\/style>/.exec(body)![1]!;
      expect(directives['style-src'], path).toEqual([`'sha256-${createHash('sha256').update(style).digest('base64')}'`]);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }

    // The demo site: scripts from this origin only (the widget), styles inline for its Shadow DOM.
    for (const path of ['/demo/', '/demo/pricing.html']) {
      const { directives } = await get(path);
      expect(directives['script-src'], path).toEqual(["'self'"]);
      expect(directives['style-src'], path).toEqual(["'self'", "'unsafe-inline'"]);
      expect(directives['connect-src'], path).toEqual(["'self'"]);
      expect(directives['frame-ancestors'], path).toEqual(["'none'"]);
    }

    // JSON and everything else: nothing may load, nothing may frame it.
    for (const path of ['/api/auth/me', '/api/nope', '/health', '/nope']) {
      expect((await get(path)).csp, path).toBe("default-src 'none';frame-ancestors 'none'");
    }

    // The widget script is for other sites to load.
    const widget = await get('/widget.js');
    expect(widget.res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(widget.res.headers.get('access-control-allow-origin')).toBe('*');
    expect((await get('/')).res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });
});
