import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { sqlState } from '../../db/errors';
import { cannedResponses } from '../../db/schema/index';

export type CannedRow = typeof cannedResponses.$inferSelect;

/** Who reads: the account's responses, and this operator's own. */
const visibleTo = (accountId: string, operatorId: string) =>
  and(eq(cannedResponses.accountId, accountId), or(isNull(cannedResponses.operatorId), eq(cannedResponses.operatorId, operatorId)));

/** The account's responses and `operatorId`'s own (null: the account's only), by shortcut. */
export async function listCanned(db: Db, accountId: string, operatorId: string | null): Promise<CannedRow[]> {
  return db
    .select()
    .from(cannedResponses)
    .where(operatorId ? visibleTo(accountId, operatorId) : and(eq(cannedResponses.accountId, accountId), isNull(cannedResponses.operatorId)))
    .orderBy(asc(cannedResponses.shortcut), asc(cannedResponses.operatorId));
}

/** One response the operator may see (the account's or their own); another operator's personal one is not found. */
export async function findCanned(db: Db, accountId: string, operatorId: string, id: string): Promise<CannedRow | null> {
  const [row] = await db
    .select()
    .from(cannedResponses)
    .where(and(eq(cannedResponses.id, id), visibleTo(accountId, operatorId)))
    .limit(1);
  return row ?? null;
}

/** Null when the shortcut is taken in that scope (the unique indexes decide, so two at once can't both win). */
export async function insertCanned(
  db: Db,
  input: { accountId: string; operatorId: string | null; shortcut: string; title: string; body: string },
): Promise<CannedRow | null> {
  const [row] = await db.insert(cannedResponses).values(input).onConflictDoNothing().returning();
  return row ?? null;
}

/** The changed row; `taken` when the new shortcut is used in its scope; null when it is gone. */
export async function updateCanned(
  db: Db,
  accountId: string,
  id: string,
  patch: { shortcut?: string; title?: string; body?: string },
): Promise<CannedRow | 'taken' | null> {
  try {
    const [row] = await db
      .update(cannedResponses)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(cannedResponses.id, id), eq(cannedResponses.accountId, accountId)))
      .returning();
    return row ?? null;
  } catch (err) {
    if (sqlState(err) === '23505') return 'taken';
    throw err;
  }
}

export async function deleteCanned(db: Db, accountId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(cannedResponses)
    .where(and(eq(cannedResponses.id, id), eq(cannedResponses.accountId, accountId)))
    .returning({ id: cannedResponses.id });
  return rows.length > 0;
}
