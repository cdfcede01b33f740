/**
 * The one typed REST client (#5): `call(api.accounts.updateSettings, { body }, token)`. Paths,
 * methods and result types come from the contract (shared/api/<feature>.ts); nothing is written by
 * hand. Never throws: the result says what went wrong in terms a UI can explain.
 */
import { routePath, type RouteInput, type RouteSpec } from '../contract';
import type { ApiError } from '../errors';

/** Why a REST call failed. */
export type ApiFailure = { kind: 'unreachable' } | { kind: 'server'; status: number; error: ApiError };

export type ApiResult<T> = { ok: true; data: T } | { ok: false; failure: ApiFailure };

export type ApiCall = <S extends RouteSpec>(spec: S, input: RouteInput<S>, token?: string) => Promise<ApiResult<S['result']>>;

/** A client for the server at `serverUrl` (`fetchImpl`: tests pass their own). */
export function apiClient(serverUrl: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): ApiCall {
  return async (spec, input, token) => {
    const { params, query, body } = input as { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
    const headers = new Headers();
    if (body !== undefined) headers.set('Content-Type', 'application/json');
    if (token) headers.set('Authorization', `Bearer ${token}`);
    const search = query ? `?${new URLSearchParams(query).toString()}` : '';
    let res: Response;
    try {
      res = await fetchImpl(`${serverUrl}${routePath(spec.path, params)}${search}`, {
        method: spec.method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      return { ok: false, failure: { kind: 'unreachable' } };
    }
    let parsed: unknown;
    try {
      parsed = res.status === 204 ? null : await res.json();
    } catch {
      parsed = null;
    }
    if (res.ok) return { ok: true, data: parsed as RouteSpecResult<typeof spec> };
    const error = (parsed as { error?: ApiError } | null)?.error;
    return {
      ok: false,
      failure: {
        kind: 'server',
        status: res.status,
        error: error ?? { code: res.status === 429 ? 'rate_limited' : 'internal_error', message: res.statusText || `HTTP ${res.status}` },
      },
    };
  };
}

type RouteSpecResult<S extends RouteSpec> = S['result'];
