import { api } from '../../../../shared/api';
import type { AppContext } from '../../context';
import { restRoutes } from '../../http/rest';
import { setupAccount } from './setup';
import { getAccountSettings, updateAccountSettings } from './service';

/**
 * GET /api/account/settings (any operator of the account) and PATCH /api/account/settings
 * (admins: `forbidden` otherwise, shared/api/accounts.ts). Always the signed-in operator's own
 * account (#4).
 */
export function accountRoutes(ctx: AppContext) {
  return restRoutes(ctx, api.accounts, {
    setup: (ctx, { input, req }) => setupAccount(ctx, req.ip, input.body),
    getSettings: (ctx, { session }) => getAccountSettings(ctx.db, session),
    updateSettings: async (ctx, { session, input }) => {
      const updated = await updateAccountSettings(ctx.db, session, input.body);
      // Handshakes read accounts from a cache (#4): this node sees the new origins at once, others within seconds.
      ctx.accounts.forget(session.account.id);
      return updated;
    },
  });
}
