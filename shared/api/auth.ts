/** Sign-in (REST): the token the panel then uses for REST and its socket. */
import { returns, type RouteMap } from '../contract';
import { loginBody, type AccountView, type LoginResult, type OperatorView } from '../schemas/auth';

export const authRoutes = {
  login: { method: 'POST', path: '/api/auth/login', role: 'public', body: loginBody, result: returns<LoginResult>() },
  /** Ends this session; its sockets are disconnected on every node. */
  logout: { method: 'POST', path: '/api/auth/logout', role: 'operator', result: returns<null>() },
  me: { method: 'GET', path: '/api/auth/me', role: 'operator', result: returns<{ operator: OperatorView; account: AccountView }>() },
} satisfies RouteMap;
