import { api } from '../../../../shared/api';
import type { AppContext } from '../../context';
import { restRoutes } from '../../http/rest';
import { outboxPage, sendTestMail } from './service';

/**
 * GET /api/mail/outbox and POST /api/mail/test (admins: `forbidden` for others,
 * shared/api/mail.ts). Always the signed-in admin's own account (#5).
 */
export function mailRoutes(ctx: AppContext) {
  return restRoutes(ctx, api.mail, {
    outbox: (ctx, { session, input }) => outboxPage(ctx.db, session.account.id, input.query),
    sendTest: async (ctx, { session, res }) => {
      res.status(202);
      return sendTestMail(ctx, session);
    },
  });
}
