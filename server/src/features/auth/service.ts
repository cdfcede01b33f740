import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../../../shared/errors';
import type { LoginBody, LoginResult } from '../../../../shared/schemas/auth';
import type { Db } from '../../db/client';
import type { AccountRow } from '../accounts/repo';
import { presentAccount, presentOperator } from './presenter';
import type { RateLimiter } from './rateLimit';
import { findLiveSession, findOperatorForLogin, insertSession, revokeSession, touchSession, type OperatorRow } from './repo';

const SESSION_TTL_MS = 30 * 24 * 3600_000;
/** last_used_at is written at most this often per session, not on every request. */
const TOUCH_EVERY_MS = 60_000;

/** argon2id with @node-rs/argon2's defaults (m=19 MiB, t=2, p=1: OWASP's recommendation). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verified against when the email is unknown, so both cases cost the same time.
let dummyHash: Promise<string> | undefined;

/** An authenticated operator session, as REST and socket handlers see it. */
export interface OperatorSession {
  sessionId: string;
  operator: OperatorRow;
  account: AccountRow;
}

/** The SHA-256 (hex) of a bearer token: the only form of it the database holds. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Checks email + password and opens a session with a fresh 256-bit token. Failed attempts count
 * against `limiter` per IP+email and per IP; over the limit → `rate_limited` (even with the
 * right password, until the window ends).
 */
export async function login(db: Db, limiter: { perEmail: RateLimiter; perIp: RateLimiter }, input: LoginBody, ip: string): Promise<LoginResult> {
  const emailKey = `${ip}|${input.email}`;
  if (limiter.perEmail.isLimited(emailKey) || limiter.perIp.isLimited(ip)) {
    throw new AppError('rate_limited', 'Too many login attempts; try again later.');
  }
  const found = await findOperatorForLogin(db, input.email);
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const ok = await verify(found?.operator.passwordHash ?? (await dummyHash), input.password).catch(() => false);
  if (!found || !ok) {
    limiter.perEmail.hit(emailKey);
    limiter.perIp.hit(ip);
    throw new AppError('unauthenticated', 'Wrong email or password.');
  }
  limiter.perEmail.reset(emailKey);

  const token = randomBytes(32).toString('base64url');
  await insertSession(db, found.account.id, found.operator.id, hashToken(token), new Date(Date.now() + SESSION_TTL_MS));
  return { token, operator: presentOperator(found.operator), account: presentAccount(found.account) };
}

/** Resolves a bearer token to its live session, or throws `unauthenticated`. */
export async function authenticate(db: Db, token: string | undefined): Promise<OperatorSession> {
  if (!token) throw new AppError('unauthenticated', 'Sign in first.');
  const found = await findLiveSession(db, hashToken(token));
  if (!found) throw new AppError('unauthenticated', 'Your session has ended; sign in again.');
  if (Date.now() - found.lastUsedAt.getTime() > TOUCH_EVERY_MS) await touchSession(db, found.account.id, found.sessionId);
  return { sessionId: found.sessionId, operator: found.operator, account: found.account };
}

/** Revokes the session: its token stops working on REST and sockets at once. */
export async function logout(db: Db, session: OperatorSession): Promise<void> {
  await revokeSession(db, session.account.id, session.sessionId);
}
