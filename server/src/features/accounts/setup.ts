import express, { Router } from 'express';
import { z } from 'zod';
import { setupBody, type SetupBody } from '../../../../shared/schemas/auth';
import { AppError } from '../../../../shared/errors';
import type { AppContext } from '../../context';
import { route } from '../../http/errors';
import { addressKey } from '../../limits/address';
import { validate } from '../../validate';
import { presentAccount, presentOperator } from '../auth/presenter';
import { hasAnyAccount } from './repo';
import { assertSetupOpen, setupFirstAccount } from './service';
import { setupDonePage, setupPage } from './setupPage';

/**
 * First-run setup (#4): what a setup passes before its password is hashed: setup still open (one
 * cheap query, so after setup nothing is ever hashed), a valid body, and the per-address limit.
 */
async function admitSetup(ctx: AppContext, ip: string | undefined, body: unknown): Promise<SetupBody> {
  await assertSetupOpen(ctx.db);
  const input = validate(setupBody, body);
  await ctx.limits.setupAttempt(addressKey(ip));
  return input;
}

/** POST /api/setup (JSON, shared/api/accounts.ts): first run only; `setup_done` once any account exists. */
export async function setupAccount(ctx: AppContext, ip: string | undefined, body: unknown) {
  const { account, admin } = await setupFirstAccount(ctx.db, await admitSetup(ctx, ip, body));
  return { account: presentAccount(account), operator: presentOperator(admin) };
}

/** #4: a url-encoded field sent twice (`name=a&name=b`) arrives as an array: an error beside it. */
const formFields = z.record(z.string(), z.string({ error: 'Send this field only once' }));

/** GET /setup (the form) and POST /setup (the form's submit, url-encoded; answers HTML). */
export function setupPageRoutes(ctx: AppContext): Router {
  const router = Router();
  const html = (res: express.Response, status: number, body: string) => res.status(status).type('html').send(body);

  router.get(
    '/',
    route(async (_req, res) => {
      // #4: once set up, this page is public and names no account.
      html(res, 200, (await hasAnyAccount(ctx.db)) ? setupDonePage() : setupPage());
    }),
  );
  router.post(
    '/',
    express.urlencoded({ extended: false, limit: '10kb' }),
    route(async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const values = Object.fromEntries(Object.entries(body).filter((field): field is [string, string] => typeof field[1] === 'string'));
      // An empty optional name field arrives as '': treat it as absent. Websites: one field, several
      // addresses separated by spaces or commas.
      const input = { ...values, name: values.name?.trim() ? values.name : undefined, allowedOrigins: values.allowedOrigins?.split(/[\s,]+/).filter(Boolean) };
      try {
        validate(formFields, body);
        const { account, admin } = await setupFirstAccount(ctx.db, await admitSetup(ctx, req.ip, input));
        html(res, 201, setupDonePage({ accountName: account.name, accountId: account.id, email: admin.email, allowedOrigins: account.allowedOrigins }));
      } catch (err) {
        if (!(err instanceof AppError) || err.code === 'internal_error') throw err;
        const errors: Record<string, string> = {};
        for (const issue of err.issues ?? []) errors[issue.path || 'form'] ??= issue.message;
        if (!err.issues) errors.form = err.message;
        if (err.retryAfterMs !== undefined) res.set('Retry-After', String(Math.ceil(err.retryAfterMs / 1000)));
        html(res, err.code === 'validation_failed' ? 400 : err.code === 'rate_limited' ? 429 : 409, setupPage(values, errors));
      }
    }),
  );
  return router;
}
