import { Router, type Request, type Response } from 'express';
import { loginBody } from '../../../../shared/schemas/auth';
import type { AppContext } from '../../context';
import { route } from '../../http/errors';
import { addressKey } from '../../limits/address';
import { rooms } from '../../realtime/rooms';
import { validate } from '../../validate';
import { presentAccount, presentOperator } from './presenter';
import { authenticate, login, logout, type OperatorSession } from './service';

/** The token of `Authorization: Bearer <token>`, if any. */
export function bearer(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header && /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : undefined;
}

/** REST middleware: `Authorization: Bearer <token>` → the session (else 401 unauthenticated). */
export function requireOperator(ctx: AppContext) {
  return route(async (req, res, next) => {
    res.locals.session = await authenticate(ctx.db, bearer(req));
    next();
  });
}

/** The session `requireOperator` put on the response. */
export function sessionOf(res: Response): OperatorSession {
  return res.locals.session as OperatorSession;
}

/** POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me. */
export function authRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post(
    '/login',
    route((req) => login(ctx.db, ctx.limits.login, validate(loginBody, req.body), addressKey(req.ip))),
  );
  router.post(
    '/logout',
    requireOperator(ctx),
    route(async (_req, res) => {
      const session = sessionOf(res);
      await logout(ctx.db, session);
      // The token is dead: so are the sockets opened with it, on every node.
      ctx.rt.operators.in(rooms.operatorSession(session.sessionId)).disconnectSockets(true);
      return null;
    }),
  );
  router.get(
    '/me',
    requireOperator(ctx),
    route(async (_req, res) => {
      const { operator, account } = sessionOf(res);
      return { operator: presentOperator(operator), account: presentAccount(account) };
    }),
  );
  return router;
}
