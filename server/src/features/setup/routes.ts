import express, { Router } from 'express';
import { setupBody } from '../../../../shared/schemas/auth';
import { AppError } from '../../../../shared/errors';
import type { AppContext } from '../../context';
import { route } from '../../http/errors';
import { addressKey } from '../../limits/address';
import { validate } from '../../validate';
import { firstAccount } from '../accounts/repo';
import { assertSetupOpen, setupFirstAccount } from '../accounts/service';
import { presentAccount, presentOperator } from '../auth/presenter';
import { setupDonePage, setupPage } from './page';

/**
 * #4: what a setup POST passes before its password is hashed: setup still open (one cheap query,
 * so after setup nothing is ever hashed), a valid body, and the per-address limit.
 */
async function admitSetup(ctx: AppContext, ip: string | undefined, body: unknown) {
  await assertSetupOpen(ctx.db);
  const input = validate(setupBody, body);
  await ctx.limits.setupAttempt(addressKey(ip));
  return input;
}

/** POST /api/setup (JSON) — first run only; `setup_done` once any account exists. */
export function setupApiRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post(
    '/',
    route(async (req) => {
      const { account, admin } = await setupFirstAccount(ctx.db, await admitSetup(ctx, req.ip, req.body));
      return { account: presentAccount(account), operator: presentOperator(admin) };
    }),
  );
  return router;
}

/** GET /setup (the form) and POST /setup (the form's submit, url-encoded; answers HTML). */
export function setupPageRoutes(ctx: AppContext): Router {
  const router = Router();
  const html = (res: express.Response, status: number, body: string) => res.status(status).type('html').send(body);

  router.get(
    '/',
    route(async (_req, res) => {
      const account = await firstAccount(ctx.db);
      html(res, 200, account ? setupDonePage({ accountName: account.name, accountId: account.id }) : setupPage());
    }),
  );
  router.post(
    '/',
    express.urlencoded({ extended: false, limit: '10kb' }),
    route(async (req, res) => {
      const values = (req.body ?? {}) as Record<string, string>;
      // An empty optional name field arrives as '': treat it as absent.
      const input = { ...values, name: values.name?.trim() ? values.name : undefined };
      try {
        const { account, admin } = await setupFirstAccount(ctx.db, await admitSetup(ctx, req.ip, input));
        html(res, 201, setupDonePage({ accountName: account.name, accountId: account.id, email: admin.email }));
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
