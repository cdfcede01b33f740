import type { ApiError } from '@@/shared/errors';
import type { AccountSettingsPatch, AccountSettingsView } from '@@/shared/schemas/accounts';
import type { LoginResult, OperatorView, AccountView } from '@@/shared/schemas/auth';
import { strings } from './strings';

/** Why a REST call failed, in terms the login screen can explain. */
export type ApiFailure =
  | { kind: 'unreachable' }
  | { kind: 'server'; status: number; error: ApiError };

export type ApiResult<T> = { ok: true; data: T } | { ok: false; failure: ApiFailure };

async function call<T>(serverUrl: string, path: string, init: RequestInit & { token?: string } = {}): Promise<ApiResult<T>> {
  const headers = new Headers(init.headers);
  if (init.body) headers.set('Content-Type', 'application/json');
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  let res: Response;
  try {
    res = await fetch(`${serverUrl}${path}`, { ...init, headers });
  } catch {
    return { ok: false, failure: { kind: 'unreachable' } };
  }
  let body: unknown;
  try {
    body = res.status === 204 ? null : await res.json();
  } catch {
    body = null;
  }
  if (res.ok) return { ok: true, data: body as T };
  const error = (body as { error?: ApiError } | null)?.error;
  return {
    ok: false,
    failure: {
      kind: 'server',
      status: res.status,
      error: error ?? { code: res.status === 429 ? 'rate_limited' : 'internal_error', message: res.statusText || `HTTP ${res.status}` },
    },
  };
}

function login(serverUrl: string, email: string, password: string): Promise<ApiResult<LoginResult>> {
  return call<LoginResult>(serverUrl, '/api/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) });
}

function logout(serverUrl: string, token: string): Promise<ApiResult<unknown>> {
  return call(serverUrl, '/api/auth/logout', { method: 'POST', token });
}

function me(serverUrl: string, token: string): Promise<ApiResult<{ operator: OperatorView; account: AccountView }>> {
  return call<{ operator: OperatorView; account: AccountView }>(serverUrl, '/api/auth/me', { token });
}

/** The auth endpoints of the REST API (POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me). */
export const authApi = { login, logout, me };

/** The account's settings (#4): GET for any operator, PATCH for admins. */
export const accountApi = {
  settings: (serverUrl: string, token: string): Promise<ApiResult<AccountSettingsView>> => call<AccountSettingsView>(serverUrl, '/api/account/settings', { token }),
  updateSettings: (serverUrl: string, token: string, patch: AccountSettingsPatch): Promise<ApiResult<AccountSettingsView>> =>
    call<AccountSettingsView>(serverUrl, '/api/account/settings', { method: 'PATCH', token, body: JSON.stringify(patch) }),
};

/** "Forget this visitor" (#4, admins): deletes the visitor and everything of theirs. */
export const visitorsApi = {
  forget: (serverUrl: string, token: string, visitorId: string): Promise<ApiResult<null>> =>
    call<null>(serverUrl, `/api/visitors/${encodeURIComponent(visitorId)}`, { method: 'DELETE', token }),
};

/** A failed REST call in words for the operator (the login screen has its own, finer wording). */
export function failureText(failure: ApiFailure, serverUrl: string): string {
  if (failure.kind === 'unreachable') return strings.errUnreachable(serverUrl);
  if (failure.status === 401) return strings.originsSessionEnded;
  if (failure.error.code === 'validation_failed' && failure.error.issues?.length) return failure.error.issues.map((i) => i.message).join(' ');
  return failure.error.message;
}
