/**
 * The REST edge (#5), like `withAck` for sockets: routes are mounted from a feature's contract
 * (`shared/api/<feature>.ts`). Per request, in this order: the bearer token → the operator (401
 * `unauthenticated`), the route's minimum role (403 `forbidden`, before the body is read), params,
 * query and body validated (400 `validation_failed`), then the handler; its value is the JSON
 * answer (`null` → 204), its AppError the error body.
 */
import { Router, type Request, type Response } from 'express';
import type { RouteMap, RouteParsed, RouteSpec } from '../../../shared/contract';
import type { OperatorActor } from '../access/actor';
import { requireRole } from '../access/roles';
import type { AppContext } from '../context';
import { authenticate, type OperatorSession } from '../access/sessions';
import { validate } from '../validate';
import { route } from './errors';

/** What a route handler gets besides its validated input. */
export interface RouteCall<S extends RouteSpec> {
  input: RouteParsed<S>;
  /** The signed-in operator (`null` only on `public` routes). */
  actor: S['role'] extends 'public' ? null : OperatorActor;
  /** Their session (sign-out ends it). */
  session: S['role'] extends 'public' ? null : OperatorSession;
  req: Request;
  res: Response;
}

export type RouteHandlers<M extends RouteMap> = {
  [K in keyof M]: (ctx: AppContext, call: RouteCall<M[K]>) => Promise<M[K]['result']>;
};

/** The token of `Authorization: Bearer <token>`, if any. */
export function bearer(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header && /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : undefined;
}

/** The operator a session is, as services see them. */
export function operatorActor(session: OperatorSession): OperatorActor {
  const { operator, account } = session;
  return { kind: 'operator', accountId: account.id, operatorId: operator.id, name: operator.name, role: operator.role };
}

/** A router with every route of `contract`, each bound to its handler (a missing one does not compile). */
export function restRoutes<M extends RouteMap>(ctx: AppContext, contract: M, handlers: RouteHandlers<M>): Router {
  const router = Router();
  for (const [name, spec] of Object.entries(contract) as [keyof M & string, RouteSpec][]) {
    const handler = handlers[name] as unknown as (ctx: AppContext, call: RouteCall<RouteSpec>) => Promise<unknown>;
    const method = spec.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    router[method](
      spec.path,
      route(async (req, res) => {
        let session: OperatorSession | null = null;
        let actor: OperatorActor | null = null;
        if (spec.role !== 'public') {
          session = await authenticate(ctx.db, bearer(req));
          actor = operatorActor(session);
          requireRole(actor, spec.role);
        }
        const input: Record<string, unknown> = {};
        if (spec.params) input.params = validate(spec.params, req.params);
        if (spec.query) input.query = validate(spec.query, req.query);
        if (spec.body) input.body = validate(spec.body, req.body ?? {});
        return handler(ctx, { input, actor, session, req, res } as RouteCall<RouteSpec>);
      }),
    );
  }
  return router;
}
