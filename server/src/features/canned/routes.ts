import { api } from '../../../../shared/api';
import type { AppContext } from '../../context';
import { restRoutes } from '../../http/rest';
import { createResponse, deleteResponse, listResponses, updateResponse } from './service';

/** shared/api/canned.ts: the account's responses, for admins on the options page. */
export function cannedRoutes(ctx: AppContext) {
  return restRoutes(ctx, api.canned, {
    list: (ctx, { actor }) => listResponses(ctx, actor, 'account'),
    create: async (ctx, { actor, input, res }) => {
      const created = await createResponse(ctx, actor, { ...input.body, scope: 'account' });
      res.status(201);
      return created;
    },
    update: (ctx, { actor, input }) => updateResponse(ctx, actor, input.params.cannedId, input.body, 'account'),
    remove: async (ctx, { actor, input }) => {
      await deleteResponse(ctx, actor, input.params.cannedId, 'account');
      return null;
    },
  });
}
