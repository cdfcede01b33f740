/**
 * Operator sessions (#5): a bearer token → the signed-in operator, for every edge that needs one
 * (REST routes, the /operator handshake, uploads). Sign-in and sign-out are the auth feature's.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { Db } from '../db/client';
import type { AccountRow } from '../db/schema/accounts';
import { findLiveSession, touchSession, type OperatorRow } from '../features/auth/repo';

/** last_used_at is written at most this often per session, not on every request. */
const TOUCH_EVERY_MS = 60_000;

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

/** Resolves a bearer token to its live session, or throws `unauthenticated`. */
export async function authenticate(db: Db, token: string | undefined): Promise<OperatorSession> {
  if (!token) throw new AppError('unauthenticated', 'Sign in first.');
  const found = await findLiveSession(db, hashToken(token));
  if (!found) throw new AppError('unauthenticated', 'Your session has ended; sign in again.');
  if (Date.now() - found.lastUsedAt.getTime() > TOUCH_EVERY_MS) await touchSession(db, found.account.id, found.sessionId);
  return { sessionId: found.sessionId, operator: found.operator, account: found.account };
}
