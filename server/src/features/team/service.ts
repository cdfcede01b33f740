/**
 * The team (A5, #5): who is on the account, invitations, roles, disabling. Every rule here is an
 * admin's (the routes require the role before anything runs), scoped by `actor.accountId`.
 */
import { AppError } from '../../../../shared/errors';
import {
  INVITATION_TTL_MS,
  type InvitationView,
  type InviteBody,
  type MemberPatch,
  type PasswordResetRequested,
  type TeamMemberView,
  type TeamView,
} from '../../../../shared/schemas/team';
import type { OperatorActor } from '../../access/actor';
import { hashPassword } from '../../access/passwords';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { onlineOperatorIds } from '../../realtime/presence';
import { rooms } from '../../realtime/rooms';
import type { OperatorRow } from '../../db/schema/operators';
import { sendMail } from '../../mail/send';
import { passwordResetRequestJob } from './job';
import { hashToken, linkProblem, newLinkToken, type LinkProblem } from './links';
import { invitationMail, publicBaseUrl } from './mails';
import { issuePasswordReset } from './passwordResets';
import { presentInvitation, presentMember } from './presenter';
import {
  closePasswordResets,
  countOtherActiveAdmins,
  deleteOpenInvitation,
  emailTaken,
  findAccountName,
  findInvitationByToken,
  findOpenInvitation,
  findOperator,
  insertInvitation,
  insertInvitedOperator,
  listOpenInvitations,
  listOperators,
  lockTeam,
  markInvitationUsed,
  renewInvitation,
  revokeOperatorSessions,
  updateOperator,
  type InvitationRow,
} from './repo';

const noSuchOperator = () => new AppError('not_found', 'No such operator on your team.');
const noSuchInvitation = () => new AppError('not_found', 'No such open invitation.');

async function accountName(db: Db, accountId: string): Promise<string> {
  const name = await findAccountName(db, accountId);
  if (name === null) throw new AppError('not_found', 'Account not found.');
  return name;
}

/** The account's operators (online: connected on any node now) and its open invitations. */
export async function listTeam(ctx: AppContext, actor: OperatorActor): Promise<TeamView> {
  const [operators, invitations, online] = await Promise.all([
    listOperators(ctx.db, actor.accountId),
    listOpenInvitations(ctx.db, actor.accountId),
    onlineOperatorIds(ctx.rt.operators, actor.accountId, true),
  ]);
  return { members: operators.map((o) => presentMember(o, online.has(o.id))), invitations: invitations.map(presentInvitation) };
}

/**
 * Invites `email` to the account: stores the invitation (its token hashed) and queues its mail in
 * one transaction, so the mail goes out if and only if the invitation exists. `conflict` when an
 * operator already signs in with that email (emails are unique on the server) or the account has
 * an open invitation for it (resend that one instead).
 */
export async function invite(ctx: AppContext, actor: OperatorActor, body: InviteBody): Promise<InvitationView> {
  if (await emailTaken(ctx.db, body.email)) throw new AppError('conflict', `${body.email} already signs in to Sidedesk: invite another address.`);
  const token = newLinkToken();
  const mail = invitationMail({
    baseUrl: publicBaseUrl(ctx.config),
    token,
    inviter: actor.name,
    accountName: await accountName(ctx.db, actor.accountId),
    role: body.role,
  });
  const row = await ctx.db.transaction(async (tx) => {
    const inserted = await insertInvitation(tx, {
      accountId: actor.accountId,
      email: body.email,
      name: body.name || null,
      role: body.role,
      tokenHash: hashToken(token),
      invitedBy: actor.operatorId,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    });
    if (!inserted) throw new AppError('conflict', `${body.email} already has an open invitation: resend it from the list.`);
    await sendMail(ctx, { accountId: actor.accountId, to: body.email, ...mail }, { tx });
    return inserted;
  });
  ctx.jobs.wake();
  return presentInvitation({ ...row, invitedByName: actor.name, expired: false });
}

/** Mails an open invitation again with a new link, valid 7 days from now; the old link stops working. */
export async function resendInvitation(ctx: AppContext, actor: OperatorActor, invitationId: string): Promise<InvitationView> {
  const open = await findOpenInvitation(ctx.db, actor.accountId, invitationId);
  if (!open) throw noSuchInvitation();
  const token = newLinkToken();
  const mail = invitationMail({
    baseUrl: publicBaseUrl(ctx.config),
    token,
    inviter: actor.name,
    accountName: await accountName(ctx.db, actor.accountId),
    role: open.role,
  });
  const row = await ctx.db.transaction(async (tx) => {
    const renewed = await renewInvitation(tx, actor.accountId, invitationId, {
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      invitedBy: actor.operatorId,
    });
    if (!renewed) throw noSuchInvitation(); // accepted or revoked meanwhile
    await sendMail(ctx, { accountId: actor.accountId, to: renewed.email, ...mail }, { tx });
    return renewed;
  });
  ctx.jobs.wake();
  return presentInvitation({ ...row, invitedByName: actor.name, expired: false });
}

/** Withdraws an open invitation: its link leads nowhere from now on. */
export async function revokeInvitation(ctx: AppContext, actor: OperatorActor, invitationId: string): Promise<null> {
  if (!(await deleteOpenInvitation(ctx.db, actor.accountId, invitationId))) throw noSuchInvitation();
  return null;
}

/**
 * Changes an operator's role and/or status. Refused with `conflict` when the account would be left
 * without an active admin (changes to a team are serialised per account, so two admins demoting
 * each other at once can't both succeed). Disabling revokes every session and open reset link of
 * the operator; their chats go back to waiting (the chats feature, on `operator.disabled`). Once
 * committed, their sockets on every node are disconnected: for good when
 * disabled (the reconnect is refused), and to reconnect with the new role when it changed (a
 * socket keeps the role it connected with).
 */
export async function updateMember(ctx: AppContext, actor: OperatorActor, operatorId: string, patch: MemberPatch): Promise<TeamMemberView> {
  const { row, disconnect, disabled } = await ctx.db.transaction(async (tx) => {
    await lockTeam(tx, actor.accountId);
    const current = await findOperator(tx, actor.accountId, operatorId);
    if (!current) throw noSuchOperator();
    const roleChanges = patch.role !== undefined && patch.role !== current.role;
    const disabling = patch.status === 'disabled' && current.status === 'active';
    const enabling = patch.status === 'active' && current.status === 'disabled';
    if (!roleChanges && !disabling && !enabling) return { row: current, disconnect: false, disabled: false };

    const losesAdmin = current.role === 'admin' && current.status === 'active' && ((roleChanges && patch.role !== 'admin') || disabling);
    if (losesAdmin && (await countOtherActiveAdmins(tx, actor.accountId, operatorId)) === 0) {
      throw new AppError(
        'conflict',
        operatorId === actor.operatorId
          ? 'You are the last active admin of this account: make someone else an admin first.'
          : `${current.name} is the last active admin of this account: make someone else an admin first.`,
      );
    }
    const updated = await updateOperator(tx, actor.accountId, operatorId, {
      ...(roleChanges ? { role: patch.role } : {}),
      ...(disabling ? { status: 'disabled' as const } : enabling ? { status: 'active' as const } : {}),
    });
    if (!updated) throw noSuchOperator();
    if (disabling) {
      await revokeOperatorSessions(tx, actor.accountId, operatorId);
      await closePasswordResets(tx, actor.accountId, operatorId);
    }
    return { row: updated, disconnect: disabling || (roleChanges && updated.status === 'active'), disabled: disabling };
  });
  if (disconnect) ctx.rt.operators.in(rooms.operator(operatorId)).disconnectSockets(true);
  if (disabled) ctx.events.publish('operator.disabled', { accountId: actor.accountId, operatorId, name: row.name });
  // Just disconnected (a role change reconnects within a second or two): shown as offline until then.
  const online = !disconnect && (await onlineOperatorIds(ctx.rt.operators, actor.accountId, true)).has(operatorId);
  return presentMember(row, online);
}

/** Mails the operator a link to set a new password (valid one hour); `conflict` while they are disabled. */
export async function sendPasswordResetTo(ctx: AppContext, actor: OperatorActor, operatorId: string): Promise<PasswordResetRequested> {
  const operator = await findOperator(ctx.db, actor.accountId, operatorId);
  if (!operator) throw noSuchOperator();
  if (operator.status === 'disabled') throw new AppError('conflict', `${operator.name} is disabled: enable them first.`);
  await issuePasswordReset(ctx, operator, await accountName(ctx.db, actor.accountId), { byAdmin: actor.name });
  return { accepted: true };
}

/**
 * "Forgot password?": counted against the limits (per address, per email), then one job is
 * stored, whatever the email: the answer, and its timing, are the same for every address.
 */
export async function requestPasswordReset(ctx: AppContext, email: string, address: string): Promise<PasswordResetRequested> {
  await ctx.limits.passwordReset.request(address, email);
  await ctx.jobs.enqueue(passwordResetRequestJob, { email });
  return { accepted: true };
}

// ── the invitation page ────────────────────────────────────────────────────────────────────

export interface InvitationLink {
  invitation: InvitationRow;
  accountName: string;
}

type InvitationState = { ok: true; link: InvitationLink } | { ok: false; problem: LinkProblem };

function invitationState(found: Awaited<ReturnType<typeof findInvitationByToken>>): InvitationState {
  if (!found) return { ok: false, problem: 'unknown' };
  const problem = linkProblem(found.invitation, found.expired);
  return problem ? { ok: false, problem } : { ok: true, link: { invitation: found.invitation, accountName: found.accountName } };
}

/** The invitation a link opens (for its page), or why it can't be used. */
export async function invitationByToken(db: Db, token: string): Promise<InvitationState> {
  return invitationState(await findInvitationByToken(db, hashToken(token)));
}

export type AcceptResult = { ok: true; operator: OperatorRow; accountName: string } | { ok: false; problem: LinkProblem | 'email_taken' };

/**
 * Accepts an invitation: creates the operator with the invited email and role, and uses the link
 * up. The token is checked before the password is hashed (a wrong token costs one query), and
 * again under a row lock, so two submits of one link create one operator.
 */
export async function acceptInvitation(ctx: AppContext, token: string, input: { name: string; password: string }): Promise<AcceptResult> {
  const before = await invitationByToken(ctx.db, token);
  if (!before.ok) return before;
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx): Promise<AcceptResult> => {
    const state = invitationState(await findInvitationByToken(tx, hashToken(token), true));
    if (!state.ok) return state;
    const { invitation, accountName } = state.link;
    const operator = await insertInvitedOperator(tx, {
      accountId: invitation.accountId,
      email: invitation.email,
      name: input.name,
      role: invitation.role,
      passwordHash,
    });
    // The email signed up elsewhere since the invitation was sent (emails are unique on the server).
    if (!operator) return { ok: false, problem: 'email_taken' };
    await markInvitationUsed(tx, invitation.id, operator.id);
    return { ok: true, operator, accountName };
  });
}
