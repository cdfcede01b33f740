/**
 * The team (A5, #5): the account's operators, their invitations and password resets. Admins manage
 * it on the options page's Team page; invitees and operators who forgot their password follow a
 * link from their mail to a page of the server.
 */
import { z } from 'zod';
import { text } from './common';
import { email, ROLES, type Role } from './auth';

/** `disabled`: can't sign in; their sessions were ended when they were disabled. */
export const OPERATOR_STATUSES = ['active', 'disabled'] as const;
export type OperatorStatus = (typeof OPERATOR_STATUSES)[number];

/** How long an invitation link works (single use). */
export const INVITATION_TTL_MS = 7 * 24 * 3600_000;
/** How long a password-reset link works (single use). */
export const PASSWORD_RESET_TTL_MS = 3600_000;

/** POST /api/team/invitations */
export const inviteBody = z.object({
  email,
  role: z.enum(ROLES),
  /** What the invitee is called until they choose their own name on the invitation page; empty = none. */
  name: text().trim().max(120).optional(),
});
export type InviteBody = z.infer<typeof inviteBody>;

/**
 * PATCH /api/team/operators/:operatorId. Both optional: an empty patch changes nothing and answers
 * the operator as they are (so a foreign id is `not_found`, never a validation error).
 */
export const memberPatch = z.object({
  role: z.enum(ROLES).optional(),
  status: z.enum(OPERATOR_STATUSES).optional(),
});
export type MemberPatch = z.infer<typeof memberPatch>;

/** POST /api/auth/password-reset: answered 202 whatever the email, so it tells nobody who has an account. */
export const passwordResetRequestBody = z.object({ email });

/** An operator of the account, as the Team page lists them. */
export interface TeamMemberView {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: OperatorStatus;
  /** Connected now (some socket on any node); never true for a disabled operator. */
  online: boolean;
  createdAt: string;
}

/** An invitation not accepted yet. Accepted ones are operators; revoked ones are gone. */
export interface InvitationView {
  id: string;
  email: string;
  /** The name the admin gave, if any. */
  name: string | null;
  role: Role;
  /** `expired`: the link no longer works; resend it (a new link) or revoke it. */
  status: 'pending' | 'expired';
  /** Who sent it last (null once that operator is deleted). */
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface TeamView {
  members: TeamMemberView[];
  invitations: InvitationView[];
}

/** The answer to a password-reset request (202): the same whether or not the email has an account. */
export interface PasswordResetRequested {
  accepted: true;
}
