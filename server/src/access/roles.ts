import { roleReaches, type MinimumRole } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { can, type Action } from '../../../shared/policies';
import type { Actor } from './actor';

/**
 * The edge's check (#5), before a handler runs or its payload is read: an operator below the
 * command's or route's minimum role gets `forbidden`. Visitor commands live on the visitor
 * namespace only, so a visitor never reaches an operator's command at all.
 */
export function requireRole(actor: Actor, minimum: MinimumRole): void {
  if (minimum === 'visitor') {
    if (actor.kind === 'visitor') return;
  } else if (actor.kind === 'operator' && roleReaches(actor.role, minimum)) {
    return;
  }
  throw new AppError('forbidden', minimum === 'visitor' ? 'Only a visitor can do this.' : `Only ${article(minimum)} ${minimum} can do this.`);
}

const REFUSED: Record<Action, string> = {
  'account:update': 'Only an admin can change the account settings.',
  'visitor:forget': 'Only an admin can forget a visitor.',
  'team:manage': 'Only an admin can manage the team.',
};

/** Throws `forbidden` unless the actor may do `action` (shared/policies.ts: what the extension asks too). */
export function authorize(actor: Actor, action: Action): void {
  if (actor.kind !== 'operator' || !can(actor.role, action)) throw new AppError('forbidden', REFUSED[action]);
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');
