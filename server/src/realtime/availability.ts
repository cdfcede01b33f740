/**
 * Who can take chats now (P11, #6): an operator whose status is `online` and who has a panel
 * connected on some node (presence.ts reads the sockets). The widget's "someone online", the
 * pre-chat form's departments, auto-assignment and "View operators" all read it here, so they
 * never disagree. What the operators chose is in the database; whether they are connected is in
 * the rooms: neither alone says it.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { departmentMembers, departments, operators } from '../db/schema/index';
import type { OperatorNamespace } from './io';
import { onlineOperatorIds } from './presence';

/** A department with how many of its operators are available (server side; visitors learn only whether, presentVisitorAvailability). */
export interface DepartmentOnline {
  id: string;
  name: string;
  online: number;
}

export interface AccountAvailability {
  /** Operators with status online and a panel connected. */
  availableIds: Set<string>;
  /** Every department of the account with how many of its operators are available (alphabetical). */
  departments: DepartmentOnline[];
}

/**
 * What the database says (who chose online, the departments and their members), kept per account
 * for a few seconds: every widget handshake reads it (#4: thousands at once after a restart; a
 * handshake stays one statement), and a change made on this node forgets it at once
 * (forgetAvailability); the broadcasts of a change look afresh. Whether operators are connected
 * comes from presence.ts, itself cached for a second.
 */
const CHOICES_TTL_MS = 10_000;
interface Choices {
  online: Set<string>;
  departments: { id: string; name: string }[];
  members: { departmentId: string; operatorId: string }[];
}
const cache = new WeakMap<OperatorNamespace, Map<string, { at: number; value: Promise<Choices> }>>();

async function readChoices(db: Db, accountId: string): Promise<Choices> {
  const [online, depts] = await Promise.all([
    db
      .select({ id: operators.id })
      .from(operators)
      .where(and(eq(operators.accountId, accountId), eq(operators.status, 'active'), eq(operators.availability, 'online'))),
    db.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.accountId, accountId)),
  ]);
  const members = depts.length
    ? await db
        .select({ departmentId: departmentMembers.departmentId, operatorId: departmentMembers.operatorId })
        .from(departmentMembers)
        .where(
          and(
            eq(departmentMembers.accountId, accountId),
            inArray(
              departmentMembers.departmentId,
              depts.map((d) => d.id),
            ),
          ),
        )
    : [];
  return { online: new Set(online.map((o) => o.id)), departments: depts, members };
}

function choices(db: Db, operatorsNs: OperatorNamespace, accountId: string, fresh: boolean): Promise<Choices> {
  let accounts = cache.get(operatorsNs);
  if (!accounts) cache.set(operatorsNs, (accounts = new Map()));
  const hit = accounts.get(accountId);
  if (!fresh && hit && Date.now() - hit.at < CHOICES_TTL_MS) return hit.value;
  if (accounts.size >= 10_000) accounts.clear();
  const value = readChoices(db, accountId);
  accounts.set(accountId, { at: Date.now(), value });
  // A failed lookup is not kept: the next caller asks again.
  value.catch(() => accounts.get(accountId)?.value === value && accounts.delete(accountId));
  return value;
}

/** The account's availability; `fresh` looks again (after a change), otherwise a few seconds' old choices may do. */
export async function accountAvailability(db: Db, operatorsNs: OperatorNamespace, accountId: string, fresh = false): Promise<AccountAvailability> {
  const [connected, chosen] = await Promise.all([onlineOperatorIds(operatorsNs, accountId, fresh), choices(db, operatorsNs, accountId, fresh)]);
  const availableIds = new Set([...chosen.online].filter((id) => connected.has(id)));
  const count = new Map<string, number>();
  for (const m of chosen.members) if (availableIds.has(m.operatorId)) count.set(m.departmentId, (count.get(m.departmentId) ?? 0) + 1);
  return {
    availableIds,
    departments: chosen.departments.map((d) => ({ id: d.id, name: d.name, online: count.get(d.id) ?? 0 })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** After a change on this node (a status, a department): the next lookup looks again (other nodes within their few seconds). */
export function forgetAvailability(operatorsNs: OperatorNamespace, accountId: string): void {
  cache.get(operatorsNs)?.delete(accountId);
}
