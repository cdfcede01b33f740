import { Router } from 'express';
import { z } from 'zod';
import { uuid } from '../../../../shared/schemas/common';
import type { AppContext } from '../../context';
import { route } from '../../http/errors';
import { validate } from '../../validate';
import { authorize } from '../auth/policy';
import { requireOperator, sessionOf } from '../auth/routes';
import { forgetVisitor } from './service';

const visitorParams = z.object({ visitorId: uuid });

/** DELETE /api/visitors/:visitorId — "forget this visitor" (admins; 404 for another account's visitor, #4). */
export function visitorRoutes(ctx: AppContext): Router {
  const router = Router();
  router.delete(
    '/:visitorId',
    requireOperator(ctx),
    route(async (req, res) => {
      const session = sessionOf(res);
      authorize(session.operator, 'visitor:forget');
      const { visitorId } = validate(visitorParams, req.params);
      return forgetVisitor(ctx, session.account.id, visitorId);
    }),
  );
  return router;
}
