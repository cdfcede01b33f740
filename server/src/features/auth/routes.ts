import { api } from '../../../../shared/api';
import type { AppContext } from '../../context';
import { restRoutes } from '../../http/rest';
import { addressKey } from '../../limits/address';
import { rooms } from '../../realtime/rooms';
import { presentAccount, presentOperator } from './presenter';
import { login, logout } from './service';

/** POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me (shared/api/auth.ts). */
export function authRoutes(ctx: AppContext) {
  return restRoutes(ctx, api.auth, {
    login: (ctx, { input, req }) => login(ctx, input.body, addressKey(req.ip)),
    logout: async (ctx, { session }) => {
      await logout(ctx, session);
      // The token is dead: so are the sockets opened with it, on every node.
      ctx.rt.operators.in(rooms.operatorSession(session.sessionId)).disconnectSockets(true);
      return null;
    },
    me: async (_ctx, { session: { operator, account } }) => ({ operator: presentOperator(operator), account: presentAccount(account) }),
  });
}
