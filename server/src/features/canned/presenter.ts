import type { CannedView } from '../../../../shared/schemas/canned';
import type { CannedRow } from './repo';

export function presentCanned(r: CannedRow): CannedView {
  return { id: r.id, scope: r.operatorId ? 'personal' : 'account', shortcut: r.shortcut, title: r.title, body: r.body, updatedAt: r.updatedAt.toISOString() };
}
