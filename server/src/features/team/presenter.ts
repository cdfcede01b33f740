import type { InvitationView, TeamMemberView } from '../../../../shared/schemas/team';
import type { OperatorRow } from '../../db/schema/operators';
import type { InvitationListRow } from './repo';

/** `online`: whether the operator has a socket on some node; a disabled operator never counts. */
export function presentMember(o: OperatorRow, online: boolean): TeamMemberView {
  return {
    id: o.id,
    email: o.email,
    name: o.name,
    role: o.role,
    status: o.status,
    online: o.status === 'active' && online,
    createdAt: o.createdAt.toISOString(),
  };
}

export function presentInvitation(i: InvitationListRow): InvitationView {
  return {
    id: i.id,
    email: i.email,
    name: i.name,
    role: i.role,
    status: i.expired ? 'expired' : 'pending',
    invitedBy: i.invitedByName,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
  };
}
