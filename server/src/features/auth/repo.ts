import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { accounts, operatorSessions, operators } from '../../db/schema/index';
import type { AccountRow } from '../../db/schema/accounts';

export type { OperatorRow } from '../../db/schema/operators';
import type { OperatorRow } from '../../db/schema/operators';

/** Inserts an operator; returns null when the email is taken (emails are unique install-wide). */
export async function insertOperator(
  db: Db,
  accountId: string,
  input: Pick<OperatorRow, 'email' | 'name' | 'role' | 'passwordHash'>,
): Promise<OperatorRow | null> {
  const [row] = await db
    .insert(operators)
    .values({ accountId, ...input })
    .onConflictDoNothing({ target: operators.email })
    .returning();
  return row ?? null;
}

/**
 * Login looks an operator up by email alone: the account is not known yet, so this is one of
 * the few queries not scoped by accountId (it returns the account with the operator).
 */
export async function findOperatorForLogin(db: Db, email: string): Promise<{ operator: OperatorRow; account: AccountRow } | null> {
  const [row] = await db
    .select({ operator: operators, account: accounts })
    .from(operators)
    .innerJoin(accounts, eq(accounts.id, operators.accountId))
    .where(eq(operators.email, email))
    .limit(1);
  return row ?? null;
}

export async function insertSession(db: Db, accountId: string, operatorId: string, tokenHash: string, expiresAt: Date): Promise<{ id: string }> {
  const [row] = await db.insert(operatorSessions).values({ accountId, operatorId, tokenHash, expiresAt }).returning({ id: operatorSessions.id });
  return row!;
}

/**
 * The live (not revoked, not expired) session of a token hash with its operator and account.
 * Like login, the token is what tells us the account. A disabled operator has none (A5: their
 * sessions are revoked when they are disabled; this holds even for one that slipped past).
 */
export async function findLiveSession(db: Db, tokenHash: string) {
  const [row] = await db
    .select({
      sessionId: operatorSessions.id,
      lastUsedAt: operatorSessions.lastUsedAt,
      operator: operators,
      account: accounts,
    })
    .from(operatorSessions)
    .innerJoin(
      operators,
      and(eq(operators.id, operatorSessions.operatorId), eq(operators.accountId, operatorSessions.accountId), eq(operators.status, 'active')),
    )
    .innerJoin(accounts, eq(accounts.id, operatorSessions.accountId))
    .where(and(eq(operatorSessions.tokenHash, tokenHash), isNull(operatorSessions.revokedAt), gt(operatorSessions.expiresAt, sql`now()`)))
    .limit(1);
  return row ?? null;
}

export async function touchSession(db: Db, accountId: string, sessionId: string): Promise<void> {
  await db
    .update(operatorSessions)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(operatorSessions.id, sessionId), eq(operatorSessions.accountId, accountId)));
}

export async function revokeSession(db: Db, accountId: string, sessionId: string): Promise<void> {
  await db
    .update(operatorSessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(operatorSessions.id, sessionId), eq(operatorSessions.accountId, accountId), isNull(operatorSessions.revokedAt)));
}
