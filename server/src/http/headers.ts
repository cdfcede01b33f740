import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { PAGE_STYLE_HASH } from './html';

/**
 * Security headers (#4), one policy per kind of response. Every response gets helmet's set
 * (nosniff, no framing, no referrer, same-origin resources) and the strictest CSP, the one for
 * JSON: `default-src 'none'; frame-ancestors 'none'`. Pages replace the CSP with their own below.
 * HSTS is left to the TLS proxy in front (docs/nginx.conf): this server speaks plain HTTP.
 * Socket.IO's endpoints are answered by engine.io before Express and are not pages.
 */
export const baseHeaders: RequestHandler = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  strictTransportSecurity: false,
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
});

/**
 * The server's own HTML pages (landing, /setup): no scripts at all, the one inline stylesheet of
 * http/html.ts by its hash, a form that posts to this origin only, never framed.
 */
export const htmlPageHeaders: RequestHandler = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    styleSrc: [PAGE_STYLE_HASH],
    imgSrc: ["'self'"],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  },
});

const demoCsp = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    // The widget puts its stylesheet in a <style> inside its Shadow DOM (widget/src/ui/app.ts):
    // a customer's site with a CSP needs the same 'unsafe-inline' for styles (never for scripts).
    styleSrc: ["'self'", "'unsafe-inline'"],
    // Socket.IO to this origin ('self' covers ws: and wss: of the same host).
    connectSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
});

/**
 * The demo company's pages (/demo/): a site with the widget installed as a customer would,
 * loading /widget.js from this origin. The referrer is kept as a real site's would be (the
 * widget reports it), within the site.
 */
export const demoPageHeaders: RequestHandler[] = [demoCsp, helmet.referrerPolicy({ policy: 'strict-origin-when-cross-origin' })];

/** /widget.js is loaded by customers' sites: readable cross-origin, still nosniff. */
export const widgetScriptHeaders: RequestHandler = (_req, res, next) => {
  res.set('Cross-Origin-Resource-Policy', 'cross-origin');
  next();
};
