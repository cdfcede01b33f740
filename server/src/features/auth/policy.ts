import { AppError } from '../../../../shared/errors';
import { can, type Action } from '../../../../shared/policies';
import type { Role } from '../../../../shared/schemas/auth';

const REFUSED: Record<Action, string> = {
  'account:update': 'Only an admin can change the account settings.',
  'visitor:forget': 'Only an admin can forget a visitor.',
  'outbox:read': 'Only an admin can read the mail outbox.',
  'mail:test': 'Only an admin can send a test mail.',
};

/** Throws `forbidden` unless the operator's role may do `action` (shared/policies.ts). */
export function authorize(operator: { role: Role }, action: Action): void {
  if (!can(operator.role, action)) throw new AppError('forbidden', REFUSED[action]);
}
