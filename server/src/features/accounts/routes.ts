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
    getSettings: (ctx, { actor }) => getAccountSettings(ctx, actor),
    updateSettings: (ctx, { actor, input }) => updateAccountSettings(ctx, actor, input.body),
  });
}
