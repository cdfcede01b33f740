/**
 * The SQL of routing waiting chats (A1, P5, #6): who may take one, taking it (one winner, also
 * across nodes: a conditional UPDATE under the row locks), transfers and escalation. Every query
 * is scoped by the account. Lock order, everywhere: the operator's row, then the conversation's.
 */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { DEFAULT_ROUTING, type RoutingSettingsView } from '../../../../shared/schemas/routing';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/raw';
import { conversations, departmentMembers, departments, operators, routingSettings } from '../../db/schema/index';
import type { ConversationRow } from './repo';

/** The account's routing mode and escalation (no row: the defaults). */
export async function routingOf(db: Db, accountId: string): Promise<Pick<RoutingSettingsView, 'mode' | 'escalationSeconds'>> {
  const [row] = await db
    .select({ mode: routingSettings.mode, escalationSeconds: routingSettings.escalationSeconds })
    .from(routingSettings)
    .where(eq(routingSettings.accountId, accountId))
    .limit(1);
  return row ?? { mode: DEFAULT_ROUTING.mode, escalationSeconds: DEFAULT_ROUTING.escalationSeconds };
}

export async function findDepartment(db: Db, accountId: string, departmentId: string): Promise<{ id: string; name: string } | null> {
  const [row] = await db
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(and(eq(departments.accountId, accountId), eq(departments.id, departmentId)))
    .limit(1);
  return row ?? null;
}

/** The operators of a department (every active operator of the account when `departmentId` is null). */
export async function departmentOperatorIds(db: Db, accountId: string, departmentId: string | null): Promise<string[]> {
  if (!departmentId) {
    const rows = await db
      .select({ id: operators.id })
      .from(operators)
      .where(and(eq(operators.accountId, accountId), eq(operators.status, 'active')));
    return rows.map((r) => r.id);
  }
  const rows = await db
    .select({ id: departmentMembers.operatorId })
    .from(departmentMembers)
    .where(and(eq(departmentMembers.accountId, accountId), eq(departmentMembers.departmentId, departmentId)));
  return rows.map((r) => r.id);
}

export async function isDepartmentMember(db: Db, accountId: string, departmentId: string, operatorId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: departmentMembers.operatorId })
    .from(departmentMembers)
    .where(and(eq(departmentMembers.accountId, accountId), eq(departmentMembers.departmentId, departmentId), eq(departmentMembers.operatorId, operatorId)))
    .limit(1);
  return !!row;
}

const activeCount = (operatorId: SQL | string) =>
  sql<number>`(SELECT count(*)::int FROM conversations c WHERE c.operator_id = ${operatorId} AND c.status = 'active')`;

/**
 * Locks the operator's row for the rest of the transaction and counts their active chats under
 * it: two chats given to one operator at once (accepts, assignments, transfers, on any node) are
 * counted one after the other, so the limit holds.
 */
export async function lockOperator(
  tx: Db,
  accountId: string,
  operatorId: string,
): Promise<{ name: string; maxChats: number; availability: string; active: boolean; load: number } | null> {
  const [row] = await tx
    .select({ name: operators.name, maxChats: operators.maxChats, availability: operators.availability, status: operators.status })
    .from(operators)
    .where(and(eq(operators.accountId, accountId), eq(operators.id, operatorId)))
    .for('update');
  if (!row) return null;
  const [count] = await queryRows<{ n: number }>(tx, sql`SELECT ${activeCount(operatorId)} AS n`);
  return { name: row.name, maxChats: row.maxChats, availability: row.availability, active: row.status === 'active', load: count?.n ?? 0 };
}

/**
 * Who auto-assignment may give a chat of `departmentId` to (its members; anyone for null), best
 * first: status online, below their limit, the fewest chats, then the longest without a new one.
 * Whether they are connected is the caller's to check (presence lives in the sockets' rooms).
 */
export async function candidates(db: Db, accountId: string, departmentId: string | null): Promise<{ id: string; load: number }[]> {
  const inDepartment = departmentId
    ? sql`AND EXISTS (SELECT 1 FROM department_members m WHERE m.department_id = ${departmentId} AND m.operator_id = o.id AND m.account_id = ${accountId})`
    : sql``;
  return queryRows(
    db,
    sql`SELECT o.id, l.n AS load FROM operators o
        CROSS JOIN LATERAL (SELECT ${activeCount(sql`o.id`)} AS n) l
        WHERE o.account_id = ${accountId} AND o.status = 'active' AND o.availability = 'online' ${inDepartment}
          AND l.n < o.max_chats
        ORDER BY l.n, o.last_assigned_at ASC NULLS FIRST, o.id`,
  );
}

/** Waiting chats of the account, longest waiting first. */
export async function waitingConversations(db: Db, accountId: string, limit: number): Promise<ConversationRow[]> {
  return db
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.status, 'waiting')))
    .orderBy(asc(conversations.waitingSince), asc(conversations.id))
    .limit(limit);
}

/** waiting → active with this operator; null if it isn't waiting any more (someone else took it). */
export async function takeConversation(tx: Db, accountId: string, conversationId: string, operator: { id: string; name: string }, now: SQL) {
  const [row] = await tx
    .update(conversations)
    .set({ status: 'active', operatorId: operator.id, operatorName: operator.name, acceptedAt: now })
    .where(and(eq(conversations.id, conversationId), eq(conversations.accountId, accountId), eq(conversations.status, 'waiting')))
    .returning();
  if (row) await tx.update(operators).set({ lastAssignedAt: now }).where(eq(operators.id, operator.id));
  return row ?? null;
}

/** What a transfer expects the chat to still be (else someone changed it meanwhile). */
export interface TransferFrom {
  status: 'waiting' | 'active';
  operatorId: string | null;
}

const unchanged = (accountId: string, conversationId: string, from: TransferFrom) =>
  and(
    eq(conversations.id, conversationId),
    eq(conversations.accountId, accountId),
    eq(conversations.status, from.status),
    from.operatorId ? eq(conversations.operatorId, from.operatorId) : sql`${conversations.operatorId} IS NULL`,
  );

/** The chat goes to this operator (active), in `departmentId` if given. */
export async function moveToOperator(
  tx: Db,
  accountId: string,
  conversationId: string,
  from: TransferFrom,
  to: { id: string; name: string; departmentId?: string },
  now: SQL,
): Promise<ConversationRow | null> {
  const [row] = await tx
    .update(conversations)
    .set({
      status: 'active',
      operatorId: to.id,
      operatorName: to.name,
      acceptedAt: now,
      ...(to.departmentId ? { departmentId: to.departmentId } : {}),
    })
    .where(unchanged(accountId, conversationId, from))
    .returning();
  if (row) await tx.update(operators).set({ lastAssignedAt: now }).where(eq(operators.id, to.id));
  return row ?? null;
}

/** The chat goes back to waiting, in the department's queue (the account's for null); its wait and escalation start again. */
export async function moveToDepartment(
  tx: Db,
  accountId: string,
  conversationId: string,
  from: TransferFrom,
  departmentId: string | null,
  now: SQL,
): Promise<ConversationRow | null> {
  const [row] = await tx
    .update(conversations)
    .set({ status: 'waiting', operatorId: null, operatorName: null, acceptedAt: null, departmentId, waitingSince: now, escalationLevel: 0 })
    .where(unchanged(accountId, conversationId, from))
    .returning();
  return row ?? null;
}

/** Raises the escalation of a chat still waiting since `waitingSince`; null if it was taken or moved meanwhile. */
export async function escalateConversation(
  db: Db,
  accountId: string,
  conversationId: string,
  waitingSince: Date,
  level: number,
): Promise<ConversationRow | null> {
  const [row] = await db
    .update(conversations)
    .set({ escalationLevel: level })
    .where(
      and(
        eq(conversations.id, conversationId),
        eq(conversations.accountId, accountId),
        eq(conversations.status, 'waiting'),
        // The same wait (a transfer back to a queue starts another); to the millisecond a Date holds.
        sql`abs(extract(epoch from (${conversations.waitingSince} - ${waitingSince.toISOString()}::timestamptz))) < 0.001`,
        sql`${conversations.escalationLevel} < ${level}`,
      ),
    )
    .returning();
  return row ?? null;
}
