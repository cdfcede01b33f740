import { api } from '../../../../shared/api';
import type { AppContext } from '../../context';
import { restRoutes } from '../../http/rest';
import { forgetVisitor } from './service';

/** DELETE /api/visitors/:visitorId — "forget this visitor" (admins; 404 for another account's visitor, #4). */
export function visitorRoutes(ctx: AppContext) {
  return restRoutes(ctx, api.visitors, {
    forget: (ctx, { actor, input }) => forgetVisitor(ctx, actor, input.params),
  });
}
