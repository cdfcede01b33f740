import fs from 'node:fs/promises';
import path from 'node:path';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { route } from '../../http/errors';
import { demoPageHeaders, htmlPageHeaders, widgetScriptHeaders } from '../../http/headers';
import { page } from '../../http/html';
import { validate } from '../../validate';
import { findAccount, firstAccount } from '../accounts/repo';

/** Where the widget engineer's build output and demo pages are. */
export interface SitePaths {
  /** widget/dist/widget.js, built by `npm run build:widget`. */
  widgetFile: string;
  /** widget/demo/: HTML pages with `__SIDEDESK_ACCOUNT__` where the account id goes. */
  demoDir: string;
}

const ACCOUNT_PLACEHOLDER = /__SIDEDESK_ACCOUNT__/g;
const DEMO_PAGE = /^[a-z0-9][a-z0-9-]*\.html$/;
const demoQuery = z.object({ account: z.uuid('account must be one account id (a UUID)').optional() });

/** GET / (landing), /health, /widget.js and its chat UI (/widget-ui-<hash>.js), /demo/ and /demo/<page>.html. */
export function siteRoutes(ctx: AppContext, paths: SitePaths): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ ok: true });
  });

  router.get('/', htmlPageHeaders, (_req, res) => {
    res.type('html').send(
      page(
        'Sidedesk',
        `<h1>Sidedesk</h1>
<p class="lead">Live chat and help desk: operators in a browser side panel, visitors in a site widget.</p>
<ul>
<li><a href="/setup">Setup</a> — create the account and the first admin (first run)</li>
<li><a href="/demo/">Demo site</a> — a website with the chat widget installed</li>
<li><a href="/health">Health</a></li>
</ul>`,
      ),
    );
  });

  router.get('/widget.js', widgetScriptHeaders, (_req, res) => {
    // Short cache + ETag: a new widget build reaches sites within a minute, revalidation is cheap.
    res.sendFile(paths.widgetFile, { maxAge: 60_000, etag: true, lastModified: true, headers: { 'Access-Control-Allow-Origin': '*' } }, (err) => {
      if (err && !res.headersSent) {
        res.status(503).type('text').send('The widget is not built yet: run `npm run build:widget` (or `npm start`).');
      }
    });
  });

  // V1: the chat UI, the widget's second file, imported by widget.js when needed (an ES module:
  // readable cross-origin for customers' sites). Its name carries its content hash: cached for good.
  const widgetDir = path.dirname(paths.widgetFile);
  router.get(/^\/widget-ui-[A-Za-z0-9_-]+\.js$/, widgetScriptHeaders, (req, res) => {
    const file = path.join(widgetDir, path.basename(req.path));
    res.sendFile(file, { maxAge: '365d', immutable: true, etag: true, headers: { 'Access-Control-Allow-Origin': '*' } }, (err) => {
      if (err && !res.headersSent) res.status(404).type('text').send('Not found');
    });
  });

  const demo = route(async (req, res) => {
    const name = (req.params as { page?: string }).page ?? 'index.html';
    if (!DEMO_PAGE.test(name)) return void res.status(404).type('text').send('Not found');

    // #4: `?account=` given once, as a UUID, or not at all (a repeated one arrives as an array).
    const requested = validate(demoQuery, req.query).account;
    const account = requested ? await findAccount(ctx.db, requested) : await firstAccount(ctx.db);
    if (!account) {
      if (requested) return void res.status(404).type('text').send('Unknown account');
      return void res.redirect(303, '/setup');
    }

    let html: string;
    try {
      html = await fs.readFile(path.join(paths.demoDir, name), 'utf8');
    } catch {
      return void res.status(404).type('text').send(`No demo page ${name} (the widget's demo pages live in widget/demo/).`);
    }
    res.type('html').set('Cache-Control', 'no-cache').send(html.replace(ACCOUNT_PLACEHOLDER, account.id));
  });
  // Non-strict routing matches /demo and /demo/ alike; the pages' relative links need the slash.
  router.get('/demo', ...demoPageHeaders, (req, res, next) => {
    if (req.path.endsWith('/')) return demo(req, res, next);
    const query = req.url.indexOf('?');
    res.redirect(301, `/demo/${query >= 0 ? req.url.slice(query) : ''}`);
  });
  // The demo company's stylesheet, shared by its pages.
  router.get('/demo/site.css', (_req, res) => res.sendFile(path.join(paths.demoDir, 'site.css')));
  router.get('/demo/:page', ...demoPageHeaders, demo);
  // Anything else: a plain 404 with our headers (Express's default one replaces the CSP).
  router.use((_req, res) => void res.status(404).type('text').send('Not found'));
  return router;
}
