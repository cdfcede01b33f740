import { asc, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { accounts } from '../../db/schema/index';

export type { AccountRow } from '../../db/schema/accounts';
import type { AccountRow } from '../../db/schema/accounts';

/** Number of accounts on this install (0 → first-run setup is open). Install-wide, so no accountId. */
export async function countAccounts(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(accounts);
  return row?.n ?? 0;
}

/** Whether any account exists (first-run setup is over): one index probe, however many accounts. */
export async function hasAnyAccount(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: accounts.id }).from(accounts).limit(1);
  return row !== undefined;
}

/** The oldest account: the one the demo site and the startup banner use by default. */
export async function firstAccount(db: Db): Promise<AccountRow | null> {
  const [row] = await db.select().from(accounts).orderBy(asc(accounts.createdAt), asc(accounts.id)).limit(1);
  return row ?? null;
}

export async function findAccount(db: Db, accountId: string): Promise<AccountRow | null> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, accountId)).limit(1);
  return row ?? null;
}

export async function insertAccount(db: Db, name: string, allowedOrigins: string[] = []): Promise<AccountRow> {
  const [row] = await db.insert(accounts).values({ name, allowedOrigins }).returning();
  return row!;
}

/** Replaces the account's allowed website origins (already normalised); null if there is no such account. */
export async function updateAllowedOrigins(db: Db, accountId: string, allowedOrigins: string[]): Promise<AccountRow | null> {
  const [row] = await db.update(accounts).set({ allowedOrigins }).where(eq(accounts.id, accountId)).returning();
  return row ?? null;
}

/** Changes the account's settings other than the origins (P3: the idle time); null if there is no such account. */
export async function updateSettings(
  db: Db,
  accountId: string,
  patch: Partial<Pick<AccountRow, 'allowedOrigins' | 'idleAfterMinutes' | 'operatorsMayMonitor'>>,
): Promise<AccountRow | null> {
  const [row] = await db.update(accounts).set(patch).where(eq(accounts.id, accountId)).returning();
  return row ?? null;
}

/** Serialises first-run setups within a transaction (two submits of the form create one account). */
export async function lockSetup(db: Db): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(7268354)`);
}
