import { Router } from 'express';
import type { AppContext } from '../../context';
import { route } from '../../http/errors';
import { authorize } from '../auth/policy';
import { requireOperator, sessionOf } from '../auth/routes';
import { outboxPage, sendTestMail } from './service';

/**
 * GET /api/mail/outbox (admins: the account's mail kept while no SMTP server is configured,
 * newest first, paginated) and POST /api/mail/test (admins: a test mail to themselves, 202).
 * Operators are told `forbidden` (#5).
 */
export function mailRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(requireOperator(ctx));
  router.get(
    '/outbox',
    route((req, res) => {
      const session = sessionOf(res);
      authorize(session.operator, 'outbox:read');
      return outboxPage(ctx.db, session.account.id, req.query);
    }),
  );
  router.post(
    '/test',
    route(async (_req, res) => {
      const session = sessionOf(res);
      authorize(session.operator, 'mail:test');
      const queued = await sendTestMail(ctx, session);
      res.status(202);
      return queued;
    }),
  );
  return router;
}
