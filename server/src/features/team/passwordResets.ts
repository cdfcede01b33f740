/**
 * Password resets (A5, #5): a single-use link valid for one hour, mailed on "Forgot password?" or
 * by an admin from the Team page. Setting the new password ends every session of that operator.
 */
import { PASSWORD_RESET_TTL_MS } from '../../../../shared/schemas/team';
import { hashPassword } from '../../access/passwords';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { rooms } from '../../realtime/rooms';
import type { OperatorRow } from '../../db/schema/operators';
import { sendMail } from '../../mail/send';
import { hashToken, linkProblem, newLinkToken, type LinkProblem } from './links';
import { passwordResetMail, publicBaseUrl } from './mails';
import { closePasswordResets, findOperatorByEmail, findPasswordResetByToken, insertPasswordReset, revokeOperatorSessions, updateOperator } from './repo';

/**
 * Stores a reset link for `operator` and queues its mail in one transaction: the mail exists if
 * and only if the link does. With `key` (a job re-run), a mail already queued under that key means
 * the work was done: nothing more is stored.
 */
export async function issuePasswordReset(
  ctx: Pick<AppContext, 'db' | 'jobs' | 'config'>,
  operator: OperatorRow,
  accountName: string,
  options: { byAdmin?: string; key?: string } = {},
): Promise<void> {
  const token = newLinkToken();
  const mail = passwordResetMail({
    baseUrl: publicBaseUrl(ctx.config),
    token,
    name: operator.name,
    email: operator.email,
    accountName,
    ...(options.byAdmin ? { byAdmin: options.byAdmin } : {}),
  });
  await ctx.db.transaction(async (tx) => {
    const queued = await sendMail(ctx, { accountId: operator.accountId, to: operator.email, ...mail }, { tx, ...(options.key ? { key: options.key } : {}) });
    if (!queued.created) return;
    await insertPasswordReset(tx, {
      accountId: operator.accountId,
      operatorId: operator.id,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + PASSWORD_RESET_TTL_MS),
    });
  });
  ctx.jobs.wake();
}

/**
 * The `team.passwordReset` job's work: a link for the active operator with this email, if there
 * is one. Nobody learns whether there was: the request was answered 202 before this ran.
 */
export async function issuePasswordResetForEmail(ctx: Pick<AppContext, 'db' | 'jobs' | 'config'>, email: string, jobId: string): Promise<void> {
  const found = await findOperatorByEmail(ctx.db, email);
  if (!found || found.operator.status !== 'active') return;
  await issuePasswordReset(ctx, found.operator, found.accountName, { key: `password-reset:${jobId}` });
}

type ResetLink = { ok: true; operator: OperatorRow } | { ok: false; problem: LinkProblem };

/** What a reset row says about its link; a disabled operator's link works no more than an unknown one. */
function resetLink(found: Awaited<ReturnType<typeof findPasswordResetByToken>>): ResetLink {
  if (!found || found.operator.status === 'disabled') return { ok: false, problem: 'unknown' };
  const problem = linkProblem(found.reset, found.expired);
  return problem ? { ok: false, problem } : { ok: true, operator: found.operator };
}

/** The reset link's operator (for the page), or why the link can't be used. */
export async function passwordResetByToken(db: Db, token: string): Promise<ResetLink> {
  return resetLink(await findPasswordResetByToken(db, hashToken(token)));
}

/**
 * Sets the new password of the link's operator, uses up every open link of theirs and revokes all
 * their sessions; their sockets, on every node, are disconnected once that has committed.
 * The token is checked before the password is hashed, and again under a row lock, so two submits
 * of one link change the password once.
 */
export async function resetPassword(ctx: AppContext, token: string, password: string): Promise<ResetLink> {
  const before = await passwordResetByToken(ctx.db, token);
  if (!before.ok) return before;
  const passwordHash = await hashPassword(password);
  const result = await ctx.db.transaction(async (tx) => {
    const link = resetLink(await findPasswordResetByToken(tx, hashToken(token), true));
    if (!link.ok) return link;
    const { accountId, id } = link.operator;
    const operator = await updateOperator(tx, accountId, id, { passwordHash });
    await closePasswordResets(tx, accountId, id);
    await revokeOperatorSessions(tx, accountId, id);
    return { ok: true as const, operator: operator ?? link.operator };
  });
  if (result.ok) ctx.rt.operators.in(rooms.operator(result.operator.id)).disconnectSockets(true);
  return result;
}
