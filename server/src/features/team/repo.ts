import { and, asc, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Role } from '../../../../shared/schemas/auth';
import type { OperatorStatus } from '../../../../shared/schemas/team';
import type { Db } from '../../db/client';
import { accounts, invitations, operatorSessions, operators, passwordResets } from '../../db/schema/index';
import type { OperatorRow } from '../../db/schema/operators';

export type InvitationRow = typeof invitations.$inferSelect;
/** An open invitation with the name of the admin who sent it. */
export type InvitationListRow = InvitationRow & { invitedByName: string | null; expired: boolean };

/** Whether a token's row is still usable, judged by the database's clock (the same on every node). */
const expiredNow = (expiresAt: typeof invitations.expiresAt | typeof passwordResets.expiresAt) => sql<boolean>`${expiresAt} <= now()`;

// ── operators ──────────────────────────────────────────────────────────────────────────────

/** The account's name (mails and pages say which team this is). */
export async function findAccountName(db: Db, accountId: string): Promise<string | null> {
  const [row] = await db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId)).limit(1);
  return row?.name ?? null;
}

/** The operator an invitation becomes; null when the email already signs in (emails are unique on the server). */
export async function insertInvitedOperator(
  tx: Db,
  input: Pick<OperatorRow, 'accountId' | 'email' | 'name' | 'role' | 'passwordHash'>,
): Promise<OperatorRow | null> {
  const [row] = await tx.insert(operators).values(input).onConflictDoNothing({ target: operators.email }).returning();
  return row ?? null;
}

export async function listOperators(db: Db, accountId: string): Promise<OperatorRow[]> {
  return db.select().from(operators).where(eq(operators.accountId, accountId)).orderBy(asc(operators.name), asc(operators.email));
}

export async function findOperator(db: Db, accountId: string, operatorId: string): Promise<OperatorRow | null> {
  const [row] = await db
    .select()
    .from(operators)
    .where(and(eq(operators.accountId, accountId), eq(operators.id, operatorId)))
    .limit(1);
  return row ?? null;
}

/**
 * The operator with this email, in whichever account (emails are unique install-wide, and a
 * password-reset request names no account), with their account's name.
 */
export async function findOperatorByEmail(db: Db, email: string): Promise<{ operator: OperatorRow; accountName: string } | null> {
  const [row] = await db
    .select({ operator: operators, accountName: accounts.name })
    .from(operators)
    .innerJoin(accounts, eq(accounts.id, operators.accountId))
    .where(eq(operators.email, email))
    .limit(1);
  return row ?? null;
}

/** Whether any operator, in any account, signs in with this email. */
export async function emailTaken(db: Db, email: string): Promise<boolean> {
  const [row] = await db.select({ id: operators.id }).from(operators).where(eq(operators.email, email)).limit(1);
  return row !== undefined;
}

/**
 * Serialises changes to an account's team within a transaction (two admins demoting each other at
 * once must not leave it without an admin). `FOR NO KEY UPDATE`: it does not wait for, nor hold
 * up, the foreign-key checks of rows that reference the account (chats, messages).
 */
export async function lockTeam(tx: Db, accountId: string): Promise<void> {
  await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId)).for('no key update');
}

/** Active admins of the account other than `exceptOperatorId`. */
export async function countOtherActiveAdmins(tx: Db, accountId: string, exceptOperatorId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(operators)
    .where(and(eq(operators.accountId, accountId), eq(operators.role, 'admin'), eq(operators.status, 'active'), ne(operators.id, exceptOperatorId)));
  return row?.n ?? 0;
}

export async function updateOperator(
  tx: Db,
  accountId: string,
  operatorId: string,
  patch: { role?: Role; status?: OperatorStatus; passwordHash?: string },
): Promise<OperatorRow | null> {
  const [row] = await tx
    .update(operators)
    .set(patch)
    .where(and(eq(operators.accountId, accountId), eq(operators.id, operatorId)))
    .returning();
  return row ?? null;
}

/** Ends every live session of the operator: their tokens stop working on REST and sockets. */
export async function revokeOperatorSessions(tx: Db, accountId: string, operatorId: string): Promise<void> {
  await tx
    .update(operatorSessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(operatorSessions.accountId, accountId), eq(operatorSessions.operatorId, operatorId), isNull(operatorSessions.revokedAt)));
}

// ── invitations ────────────────────────────────────────────────────────────────────────────

const invitationListColumns = {
  invitation: invitations,
  invitedByName: operators.name,
  expired: expiredNow(invitations.expiresAt),
};

function toListRow(r: { invitation: InvitationRow; invitedByName: string | null; expired: boolean }): InvitationListRow {
  return { ...r.invitation, invitedByName: r.invitedByName, expired: r.expired };
}

/** The account's open (not accepted) invitations, newest first, expired ones included. */
export async function listOpenInvitations(db: Db, accountId: string): Promise<InvitationListRow[]> {
  const rows = await db
    .select(invitationListColumns)
    .from(invitations)
    .leftJoin(operators, eq(operators.id, invitations.invitedBy))
    .where(and(eq(invitations.accountId, accountId), isNull(invitations.usedAt)))
    .orderBy(desc(invitations.createdAt), desc(invitations.id));
  return rows.map(toListRow);
}

export async function findOpenInvitation(db: Db, accountId: string, invitationId: string): Promise<InvitationListRow | null> {
  const [row] = await db
    .select(invitationListColumns)
    .from(invitations)
    .leftJoin(operators, eq(operators.id, invitations.invitedBy))
    .where(and(eq(invitations.accountId, accountId), eq(invitations.id, invitationId), isNull(invitations.usedAt)))
    .limit(1);
  return row ? toListRow(row) : null;
}

/** Stores an invitation; null when the account already has an open one for this email. */
export async function insertInvitation(
  tx: Db,
  input: Pick<InvitationRow, 'accountId' | 'email' | 'name' | 'role' | 'tokenHash' | 'invitedBy' | 'expiresAt'>,
): Promise<InvitationRow | null> {
  const [row] = await tx.insert(invitations).values(input).onConflictDoNothing().returning();
  return row ?? null;
}

/** A new token and expiry for an open invitation (the old link stops working); null if it is not open. */
export async function renewInvitation(
  tx: Db,
  accountId: string,
  invitationId: string,
  renewal: { tokenHash: string; expiresAt: Date; invitedBy: string },
): Promise<InvitationRow | null> {
  const [row] = await tx
    .update(invitations)
    .set(renewal)
    .where(and(eq(invitations.accountId, accountId), eq(invitations.id, invitationId), isNull(invitations.usedAt)))
    .returning();
  return row ?? null;
}

/** Withdraws an open invitation; false if there was none. */
export async function deleteOpenInvitation(db: Db, accountId: string, invitationId: string): Promise<boolean> {
  const rows = await db
    .delete(invitations)
    .where(and(eq(invitations.accountId, accountId), eq(invitations.id, invitationId), isNull(invitations.usedAt)))
    .returning({ id: invitations.id });
  return rows.length > 0;
}

/**
 * The invitation of a link's token with its account's name, whatever its state: the token is what
 * names the account (like a session's). `lock`: within a transaction, held until it ends, so two
 * submits of one link create one operator.
 */
export async function findInvitationByToken(db: Db, tokenHash: string, lock = false) {
  const query = db
    .select({ invitation: invitations, accountName: accounts.name, expired: expiredNow(invitations.expiresAt) })
    .from(invitations)
    .innerJoin(accounts, eq(accounts.id, invitations.accountId))
    .where(eq(invitations.tokenHash, tokenHash))
    .limit(1);
  const [row] = await (lock ? query.for('update', { of: invitations }) : query);
  return row ?? null;
}

export async function markInvitationUsed(tx: Db, invitationId: string, operatorId: string): Promise<void> {
  await tx
    .update(invitations)
    .set({ usedAt: sql`now()`, operatorId })
    .where(eq(invitations.id, invitationId));
}

// ── password resets ────────────────────────────────────────────────────────────────────────

export async function insertPasswordReset(tx: Db, input: { accountId: string; operatorId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
  await tx.insert(passwordResets).values(input);
}

/** The reset of a link's token with its operator, whatever its state; `lock` as for invitations. */
export async function findPasswordResetByToken(db: Db, tokenHash: string, lock = false) {
  const query = db
    .select({ reset: passwordResets, operator: operators, expired: expiredNow(passwordResets.expiresAt) })
    .from(passwordResets)
    .innerJoin(operators, and(eq(operators.id, passwordResets.operatorId), eq(operators.accountId, passwordResets.accountId)))
    .where(eq(passwordResets.tokenHash, tokenHash))
    .limit(1);
  const [row] = await (lock ? query.for('update', { of: passwordResets }) : query);
  return row ?? null;
}

/** Marks every open reset link of the operator used: one used, or the operator disabled, ends them all. */
export async function closePasswordResets(tx: Db, accountId: string, operatorId: string): Promise<void> {
  await tx
    .update(passwordResets)
    .set({ usedAt: sql`now()` })
    .where(and(eq(passwordResets.accountId, accountId), eq(passwordResets.operatorId, operatorId), isNull(passwordResets.usedAt)));
}
