/**
 * How a feature declares its wire contract (#5): one file per feature in `shared/events/`, each
 * exporting maps of command → { payload schema, result type, minimum role }. The server registers
 * its handlers from these maps (a command without a handler does not compile), and the convention
 * tests walk them: every command gets a garbage payload, a foreign-account id and, below its
 * role, `forbidden`. Clients import only the types (`import type`), so zod stays out of the widget.
 */
import type { z } from 'zod';
import type { Ack } from './errors';
import type { Role } from './schemas/auth';

/** Who may send a command: a widget's visitor, or an operator of at least this role. */
export type MinimumRole = Role | 'visitor';

export interface CommandSpec<S extends z.ZodType = z.ZodType, R = unknown> {
  payload: S;
  /** Only a type: what the acknowledgement carries. */
  result: R;
  role: MinimumRole;
}

/** Every command of a namespace, by event name (`noun:verb`). */
export type CommandMap = Record<string, CommandSpec>;

/**
 * `result: returns<MessageView>()` — names the result type in a value position. The value itself
 * is never read (it is `undefined`).
 */
export const returns = <R>(): R => undefined as R;

/** A command as Socket.IO's typed sockets see it: a payload and an acknowledgement callback. */
export type Command<P, R> = (payload: P, ack: (res: Ack<R>) => void) => void;

/** The client → server interface of a map (what `socket.emit` / `emitWithAck` accept). */
export type ClientToServer<M extends CommandMap> = {
  [K in keyof M]: Command<z.input<M[K]['payload']>, M[K]['result']>;
};

/** The server → client interface from a map of broadcast name → payload type. */
export type ServerToClient<B> = { [K in keyof B]: (payload: B[K]) => void };

/** The order of operator roles: a command open to `operator` is open to supervisors and admins too. */
export const ROLE_RANK: Record<Role, number> = { operator: 0, supervisor: 1, admin: 2 };

/** Whether `role` reaches `minimum`. Visitors reach only visitor commands (they are on their own namespace). */
export function roleReaches(role: Role, minimum: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimum];
}

// ── REST ────────────────────────────────────────────────────────────────────────────────

/** Who may call a route: anyone (sign-in, setup), or an operator of at least this role. */
export type RouteAccess = Role | 'public';

export interface RouteSpec<R = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express-style path with `:params`, from the server's root (`/api/...`). */
  path: string;
  role: RouteAccess;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Only a type: the JSON body of a success (`null` → 204 No Content). */
  result: R;
}

/** Every route of a feature, by name (`shared/api/<feature>.ts`). */
export type RouteMap = Record<string, RouteSpec>;

type Part<S, K extends string> = S extends { [P in K]: infer T extends z.ZodType } ? { [P in K]: z.input<T> } : { [P in K]?: never };
/** What a client passes to call a route: exactly the parts it declares. */
export type RouteInput<S extends RouteSpec> = Part<S, 'params'> & Part<S, 'query'> & Part<S, 'body'>;
/** What a server handler receives: the parts it declares, validated. */
export type RouteParsed<S extends RouteSpec> = {
  [K in 'params' | 'query' | 'body' as S[K] extends z.ZodType ? K : never]: S[K] extends z.ZodType ? z.output<S[K]> : never;
};

/** `/api/visitors/:visitorId` + `{ visitorId }` → `/api/visitors/0b1…` (each value URL-encoded). */
export function routePath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`routePath: missing :${name} for ${path}`);
    return encodeURIComponent(value);
  });
}
