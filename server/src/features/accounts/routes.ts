import { Router } from 'express';
import { accountSettingsPatch } from '../../../../shared/schemas/accounts';
import type { AppContext } from '../../context';
import { route } from '../../http/errors';
import { validate } from '../../validate';
import { authorize } from '../auth/policy';
import { requireOperator, sessionOf } from '../auth/routes';
import { getAccountSettings, updateAccountSettings } from './service';

/**
 * GET /api/account/settings (any operator of the account) and PATCH /api/account/settings
 * (admins: `forbidden` otherwise). Always the signed-in operator's own account (#4).
 */
export function accountRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(requireOperator(ctx));
  router.get(
    '/settings',
    route((_req, res) => getAccountSettings(ctx.db, sessionOf(res))),
  );
  router.patch(
    '/settings',
    route(async (req, res) => {
      const session = sessionOf(res);
      // The role first: an operator is told `forbidden`, whatever the body says.
      authorize(session.operator, 'account:update');
      const updated = await updateAccountSettings(ctx.db, session, validate(accountSettingsPatch, req.body));
      // Handshakes read accounts from a cache (#4): this node sees the new origins at once, others within seconds.
      ctx.accounts.forget(session.account.id);
      return updated;
    }),
  );
  return router;
}
