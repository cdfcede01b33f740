/** All SQL of availability and departments (P11, A1, #6); every query scoped by the account. */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { DEFAULT_ROUTING, type Availability, type RoutingSettingsPatch, type RoutingSettingsView } from '../../../../shared/schemas/routing';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/raw';
import { conversations, departmentMembers, departments, operators, routingSettings } from '../../db/schema/index';
import type { DepartmentRow } from '../../db/schema/routing';
import type { OperatorRow } from '../../db/schema/operators';

export type { DepartmentRow };

// ── settings ───────────────────────────────────────────────────────────────────────────────

export async function findSettings(db: Db, accountId: string): Promise<RoutingSettingsView> {
  const [row] = await db.select().from(routingSettings).where(eq(routingSettings.accountId, accountId)).limit(1);
  return row ? { mode: row.mode, escalationSeconds: row.escalationSeconds, autoAwayMinutes: row.autoAwayMinutes } : { ...DEFAULT_ROUTING };
}

export async function saveSettings(db: Db, accountId: string, patch: RoutingSettingsPatch): Promise<RoutingSettingsView> {
  const next = { ...(await findSettings(db, accountId)), ...stripUndefined(patch) };
  await db
    .insert(routingSettings)
    .values({ accountId, ...next })
    .onConflictDoUpdate({ target: routingSettings.accountId, set: { ...next, updatedAt: sql`now()` } });
  return next;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ── departments ────────────────────────────────────────────────────────────────────────────

export async function listDepartments(db: Db, accountId: string): Promise<(DepartmentRow & { operatorIds: string[] })[]> {
  const [rows, members] = await Promise.all([
    db
      .select()
      .from(departments)
      .where(eq(departments.accountId, accountId))
      .orderBy(asc(sql`lower(${departments.name})`)),
    db.select().from(departmentMembers).where(eq(departmentMembers.accountId, accountId)),
  ]);
  return rows.map((d) => ({ ...d, operatorIds: members.filter((m) => m.departmentId === d.id).map((m) => m.operatorId) }));
}

export async function findDepartment(db: Db, accountId: string, departmentId: string): Promise<DepartmentRow | null> {
  const [row] = await db
    .select()
    .from(departments)
    .where(and(eq(departments.accountId, accountId), eq(departments.id, departmentId)))
    .limit(1);
  return row ?? null;
}

export async function countDepartments(db: Db, accountId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(departments)
    .where(eq(departments.accountId, accountId));
  return row?.n ?? 0;
}

/** Null when the account has a department of that name (any case). */
export async function insertDepartment(db: Db, accountId: string, name: string): Promise<DepartmentRow | null> {
  const [row] = await db.insert(departments).values({ accountId, name }).onConflictDoNothing().returning();
  return row ?? null;
}

export async function renameDepartment(db: Db, accountId: string, departmentId: string, name: string): Promise<DepartmentRow | null> {
  const [row] = await db
    .update(departments)
    .set({ name })
    .where(and(eq(departments.accountId, accountId), eq(departments.id, departmentId)))
    .returning();
  return row ?? null;
}

export async function deleteDepartment(db: Db, accountId: string, departmentId: string): Promise<boolean> {
  const rows = await db
    .delete(departments)
    .where(and(eq(departments.accountId, accountId), eq(departments.id, departmentId)))
    .returning({ id: departments.id });
  return rows.length === 1;
}

/** How many of `ids` are operators of the account (the rest are someone else's, or nobody's). */
export async function countOperators(db: Db, accountId: string, ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(operators)
    .where(and(eq(operators.accountId, accountId), inArray(operators.id, ids)));
  return row?.n ?? 0;
}

export async function countDepartmentsIn(db: Db, accountId: string, ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(departments)
    .where(and(eq(departments.accountId, accountId), inArray(departments.id, ids)));
  return row?.n ?? 0;
}

/** The department's operators become exactly `operatorIds` (already checked to be the account's); returns who changed. */
export async function setDepartmentMembers(tx: Db, accountId: string, departmentId: string, operatorIds: string[]): Promise<string[]> {
  const before = await tx
    .delete(departmentMembers)
    .where(and(eq(departmentMembers.accountId, accountId), eq(departmentMembers.departmentId, departmentId)))
    .returning({ operatorId: departmentMembers.operatorId });
  if (operatorIds.length) await tx.insert(departmentMembers).values(operatorIds.map((operatorId) => ({ accountId, departmentId, operatorId })));
  const was = new Set(before.map((b) => b.operatorId));
  const now = new Set(operatorIds);
  return [...new Set([...was, ...now])].filter((id) => was.has(id) !== now.has(id));
}

/** The operator's departments become exactly `departmentIds` (already checked to be the account's). */
export async function setOperatorDepartments(tx: Db, accountId: string, operatorId: string, departmentIds: string[]): Promise<void> {
  await tx.delete(departmentMembers).where(and(eq(departmentMembers.accountId, accountId), eq(departmentMembers.operatorId, operatorId)));
  if (departmentIds.length) await tx.insert(departmentMembers).values(departmentIds.map((departmentId) => ({ accountId, departmentId, operatorId })));
}

// ── operators ──────────────────────────────────────────────────────────────────────────────

/** An operator with what "View operators" shows besides the row: active chats and departments. */
export type OperatorWithLoad = OperatorRow & { load: number; departmentIds: string[] };

/** The account's active operators (one, with `operatorId`) with their load and departments, by name. */
export async function listOperatorsWithLoad(db: Db, accountId: string, operatorId?: string): Promise<OperatorWithLoad[]> {
  const scope = and(eq(operators.accountId, accountId), eq(operators.status, 'active'), operatorId ? eq(operators.id, operatorId) : undefined);
  const [rows, loads, members] = await Promise.all([
    db.select().from(operators).where(scope).orderBy(asc(operators.name), asc(operators.email)),
    db
      .select({ operatorId: conversations.operatorId, n: sql<number>`count(*)::int` })
      .from(conversations)
      .where(and(eq(conversations.accountId, accountId), eq(conversations.status, 'active'), operatorId ? eq(conversations.operatorId, operatorId) : undefined))
      .groupBy(conversations.operatorId),
    db
      .select()
      .from(departmentMembers)
      .where(and(eq(departmentMembers.accountId, accountId), operatorId ? eq(departmentMembers.operatorId, operatorId) : undefined)),
  ]);
  const load = new Map(loads.map((l) => [l.operatorId, l.n]));
  return rows.map((o) => ({
    ...o,
    load: load.get(o.id) ?? 0,
    departmentIds: members.filter((m) => m.operatorId === o.id).map((m) => m.departmentId),
  }));
}

export async function updateOperatorRouting(
  db: Db,
  accountId: string,
  operatorId: string,
  patch: { availability?: Availability; awayAuto?: boolean; maxChats?: number; autoAwayMinutes?: number | null; lastActiveAt?: SQL },
): Promise<OperatorRow | null> {
  const [row] = await db
    .update(operators)
    .set(patch)
    .where(and(eq(operators.accountId, accountId), eq(operators.id, operatorId)))
    .returning();
  return row ?? null;
}

/**
 * Activity in the panel: counted from now, and an auto-away ends (back online). Returns whether
 * the status changed.
 */
export async function touchActivity(db: Db, accountId: string, operatorId: string, now: SQL): Promise<boolean> {
  const rows = await queryRows<{ back: boolean }>(
    db,
    sql`UPDATE operators o SET last_active_at = ${now},
          availability = CASE WHEN o.away_auto AND o.availability = 'away' THEN 'online' ELSE o.availability END,
          away_auto = false
        FROM (SELECT id, availability = 'away' AND away_auto AS back FROM operators WHERE id = ${operatorId} AND account_id = ${accountId}) old
        WHERE o.id = old.id
        RETURNING old.back`,
  );
  return rows[0]?.back ?? false;
}

/**
 * Auto-away (P11): every online operator of every account whose last activity is older than their
 * minutes (their own, else the account's, else the default; 0 = never) goes away. One statement,
 * run by every node: each row changes once, so only one node announces it.
 */
export async function sweepAutoAway(db: Db, now: SQL): Promise<{ accountId: string; operatorId: string }[]> {
  const minutes = sql`coalesce(o.auto_away_minutes, (SELECT s.auto_away_minutes FROM routing_settings s WHERE s.account_id = o.account_id), ${DEFAULT_ROUTING.autoAwayMinutes}::integer)`;
  return queryRows(
    db,
    sql`UPDATE operators o SET availability = 'away', away_auto = true
        WHERE o.availability = 'online' AND o.status = 'active' AND ${minutes} > 0
          AND o.last_active_at < ${now} - ${minutes} * interval '1 minute'
        RETURNING o.account_id AS "accountId", o.id AS "operatorId"`,
  );
}

/** Who has (or had) the conversation: its load changed. */
export async function operatorOfConversation(db: Db, accountId: string, conversationId: string): Promise<string | null> {
  const [row] = await db
    .select({ operatorId: conversations.operatorId })
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, conversationId)))
    .limit(1);
  return row?.operatorId ?? null;
}
