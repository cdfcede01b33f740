/**
 * Who is acting (#5): one type for every service, handler and route. Services take
 * `(ctx, actor, input)` and scope every read and write by `actor.accountId`.
 */
import type { Role } from '../../../shared/schemas/auth';

export interface VisitorActor {
  kind: 'visitor';
  accountId: string;
  visitorId: string;
}

export interface OperatorActor {
  kind: 'operator';
  accountId: string;
  operatorId: string;
  name: string;
  role: Role;
}

export type Actor = VisitorActor | OperatorActor;

/**
 * Which messages a reader may see: visitors only public ones, operators internal ones too
 * (whispers, notes: #7). Every read path of messages takes one (#5: "audience on every read").
 */
export type Audience = 'public' | 'internal';

export function audienceOf(actor: Actor): Audience {
  return actor.kind === 'visitor' ? 'public' : 'internal';
}
