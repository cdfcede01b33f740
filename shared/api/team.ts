/**
 * The team (REST, A5 #5): operators, invitations and password resets. Everything under /api/team
 * is for admins only (`forbidden` for anyone else, before the input is read). Invitations are
 * accepted, and reset links used, on the server's own pages (/invite/…, /reset-password/…).
 */
import { z } from 'zod';
import { returns, type RouteMap } from '../contract';
import { uuid } from '../schemas/common';
import {
  inviteBody,
  memberPatch,
  passwordResetRequestBody,
  type InvitationView,
  type PasswordResetRequested,
  type TeamMemberView,
  type TeamView,
} from '../schemas/team';

const operatorParams = z.object({ operatorId: uuid });
const invitationParams = z.object({ invitationId: uuid });

export const teamRoutes = {
  /** The account's operators (with who is online now) and its open invitations. */
  list: { method: 'GET', path: '/api/team', role: 'admin', result: returns<TeamView>() },
  /** Invites someone by email (201); `conflict` if an operator or an open invitation has that email. */
  invite: { method: 'POST', path: '/api/team/invitations', role: 'admin', body: inviteBody, result: returns<InvitationView>() },
  /** A new link for an open invitation, valid 7 days from now; the old link stops working. */
  resendInvitation: {
    method: 'POST',
    path: '/api/team/invitations/:invitationId/resend',
    role: 'admin',
    params: invitationParams,
    result: returns<InvitationView>(),
  },
  /** Withdraws an open invitation: its link stops working. */
  revokeInvitation: { method: 'DELETE', path: '/api/team/invitations/:invitationId', role: 'admin', params: invitationParams, result: returns<null>() },
  /**
   * Changes an operator's role or status. Disabling ends their sessions and disconnects their
   * sockets on every node at once. `conflict` if it would leave the account without an active admin.
   */
  updateMember: {
    method: 'PATCH',
    path: '/api/team/operators/:operatorId',
    role: 'admin',
    params: operatorParams,
    body: memberPatch,
    result: returns<TeamMemberView>(),
  },
  /** Mails the operator a link to set a new password (202). */
  sendPasswordReset: {
    method: 'POST',
    path: '/api/team/operators/:operatorId/password-reset',
    role: 'admin',
    params: operatorParams,
    result: returns<PasswordResetRequested>(),
  },
  /** "Forgot password?" (202 whatever the email; rate-limited per address and per email). */
  requestPasswordReset: {
    method: 'POST',
    path: '/api/auth/password-reset',
    role: 'public',
    body: passwordResetRequestBody,
    result: returns<PasswordResetRequested>(),
  },
} satisfies RouteMap;
