import type { Role } from './schemas/auth';

/**
 * What an operator may do beyond chatting, by role: one table for both ends (#4). The server checks
 * it on every route that does the action (`authorize` in server/src/features/auth/policy.ts); the
 * extension asks the same table only to hide what the server would refuse.
 */
const ALLOWED = {
  /** Change the account's settings (the websites the widget may run on). */
  'account:update': ['admin'],
  /** Delete a visitor and everything of theirs ("forget this visitor"). */
  'visitor:forget': ['admin'],
  /** See the team, invite, change roles, disable and enable operators, send password resets (A5). */
  'team:manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof ALLOWED;

export function can(role: Role, action: Action): boolean {
  return (ALLOWED[action] as readonly Role[]).includes(role);
}
