import { roleReaches, type MinimumRole } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
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

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');
