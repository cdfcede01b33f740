import { randomBytes } from 'node:crypto';
import { hashToken, type OperatorSession } from '../../access/sessions';
import { verify } from '@node-rs/argon2';
import { hashPassword } from '../../access/passwords';
import { AppError } from '../../../../shared/errors';
import type { LoginBody, LoginResult } from '../../../../shared/schemas/auth';
import { presentAccount, presentOperator } from './presenter';
import type { AppContext } from '../../context';
import { findOperatorForLogin, insertSession, revokeSession } from './repo';

const SESSION_TTL_MS = 30 * 24 * 3600_000;

// Verified against when the email is unknown, so both cases cost the same time.
let dummyHash: Promise<string> | undefined;

/**
 * Checks email + password and opens a session with a fresh 256-bit token. The attempt is counted
 * against the sign-in limits before the password is verified (#4: parallel attempts were all
 * verified); over a limit → `rate_limited`, even with the right password, and nothing is verified.
 * `address` is the limits' key of the caller's address (limits/address.ts).
 */
export async function login(ctx: AppContext, input: LoginBody, address: string): Promise<LoginResult> {
  const { db } = ctx;
  const attempt = await ctx.limits.login.begin(address, input.email);
  const found = await findOperatorForLogin(db, input.email);
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const ok = await verify(found?.operator.passwordHash ?? (await dummyHash), input.password).catch(() => false);
  if (!found || !ok) throw new AppError('unauthenticated', 'Wrong email or password.');
  await attempt.succeeded();
  // A5: said only to whoever knows the password, so it tells nobody else that the account exists.
  if (found.operator.status === 'disabled') throw new AppError('forbidden', 'This account is disabled. Ask an admin of your team to enable it.');

  const token = randomBytes(32).toString('base64url');
  await insertSession(db, found.account.id, found.operator.id, hashToken(token), new Date(Date.now() + SESSION_TTL_MS));
  return { token, operator: presentOperator(found.operator), account: presentAccount(found.account) };
}

/** Revokes the session: its token stops working on REST and sockets at once. */
export async function logout(ctx: AppContext, session: OperatorSession): Promise<void> {
  await revokeSession(ctx.db, session.account.id, session.sessionId);
}
