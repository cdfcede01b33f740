/**
 * Availability and departments (P11, A1, #6): an operator's status (online / away / offline, kept
 * across sign-ins; offline whenever no panel of theirs is connected), auto-away, "View operators"
 * with everyone's load, departments, and the account's routing settings. Routing itself (who
 * gets a waiting chat) belongs to the chats feature, which hears `availability.changed`.
 */
import { AppError } from '../../../../shared/errors';
import {
  MAX_DEPARTMENTS,
  type Availability,
  type DepartmentPatch,
  type DepartmentView,
  type OperatorAvailabilityView,
  type OperatorRoutingPatch,
  type RoutingSettingsPatch,
  type RoutingSettingsView,
} from '../../../../shared/schemas/routing';
import type { OperatorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import { sqlState } from '../../db/errors';
import type { OperatorSocket } from '../../realtime/io';
import { forgetAvailability } from '../../realtime/availability';
import { onlineOperatorIds } from '../../realtime/presence';
import { rooms } from '../../realtime/rooms';
import { presentDepartment, presentOperator } from './presenter';
import {
  countDepartments,
  countDepartmentsIn,
  countOperators,
  deleteDepartment as deleteDepartmentRow,
  findDepartment,
  findSettings,
  insertDepartment,
  listDepartments as listDepartmentRows,
  listOperatorsWithLoad,
  operatorOfConversation,
  renameDepartment,
  saveSettings,
  setDepartmentMembers,
  setOperatorDepartments,
  sweepAutoAway,
  touchActivity,
  updateOperatorRouting,
} from './repo';

const noSuchDepartment = () => new AppError('not_found', 'No such department.');
const noSuchOperator = () => new AppError('not_found', 'No such operator on your team.');

// ── operators ──────────────────────────────────────────────────────────────────────────────

/** "View operators": everyone active on the account, with status as others see it and load. */
export async function listOperatorViews(ctx: AppContext, actor: OperatorActor): Promise<OperatorAvailabilityView[]> {
  const [rows, connected] = await Promise.all([listOperatorsWithLoad(ctx.db, actor.accountId), onlineOperatorIds(ctx.rt.operators, actor.accountId, true)]);
  return rows.map((o) => presentOperator(o, connected.has(o.id)));
}

async function operatorView(ctx: AppContext, accountId: string, operatorId: string): Promise<OperatorAvailabilityView | null> {
  const [[row], connected] = await Promise.all([listOperatorsWithLoad(ctx.db, accountId, operatorId), onlineOperatorIds(ctx.rt.operators, accountId, true)]);
  return row ? presentOperator(row, connected.has(row.id)) : null;
}

/** `operator:updated` to the account's panels ("View operators" is live), after the change. */
function publishOperator(ctx: AppContext, accountId: string, operatorId: string): void {
  ctx.background('operator:updated', async () => {
    const view = await operatorView(ctx, accountId, operatorId);
    if (view) ctx.rt.operators.to(rooms.accountOperators(accountId)).emit('operator:updated', view);
  });
}

/** Tells the other features (widgets' counts, the chats' queue) and the panels. */
function changed(ctx: AppContext, accountId: string, operatorIds: readonly (string | null)[], capacity: boolean): void {
  forgetAvailability(ctx.rt.operators, accountId);
  for (const id of new Set(operatorIds)) if (id) publishOperator(ctx, accountId, id);
  ctx.events.publish('availability.changed', { accountId, capacity });
}

/** The operator's own choice; online may let the queue drain to them at once (auto-assign). */
export async function setStatus(ctx: AppContext, actor: OperatorActor, status: Availability): Promise<OperatorAvailabilityView> {
  const row = await updateOperatorRouting(ctx.db, actor.accountId, actor.operatorId, {
    availability: status,
    awayAuto: false,
    lastActiveAt: ctx.clock.sqlNow(),
  });
  if (!row) throw noSuchOperator();
  changed(ctx, actor.accountId, [actor.operatorId], status === 'online');
  const view = await operatorView(ctx, actor.accountId, actor.operatorId);
  if (!view) throw noSuchOperator();
  return view;
}

/** Input or focus in the panel: auto-away counts from now, and one in progress ends. */
export async function reportActivity(ctx: AppContext, actor: OperatorActor): Promise<null> {
  const back = await touchActivity(ctx.db, actor.accountId, actor.operatorId, ctx.clock.sqlNow());
  if (back) changed(ctx, actor.accountId, [actor.operatorId], true);
  return null;
}

/** How often each node looks for operators to put away (the statement is cheap and idempotent). */
export const AUTO_AWAY_EVERY_MS = 30_000;

/**
 * Puts away whoever has been inactive past their minutes (any account), and says so. A node with
 * no panel connected skips it: only connected operators can be seen online (a panel connecting
 * counts as activity), and the statement would be the node's only work.
 */
export async function runAutoAway(ctx: AppContext): Promise<number> {
  if (ctx.rt.operators.sockets.size === 0) return 0;
  const away = await sweepAutoAway(ctx.db, ctx.clock.sqlNow());
  const byAccount = new Map<string, string[]>();
  for (const { accountId, operatorId } of away) byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), operatorId]);
  for (const [accountId, ids] of byAccount) changed(ctx, accountId, ids, false);
  return away.length;
}

/**
 * A panel connected: that is activity (an auto-away ends), and the operator may be available now.
 * When their last panel goes, they are offline to everyone (presence is read from the rooms).
 */
export function operatorConnected(ctx: AppContext, socket: OperatorSocket, actor: OperatorActor): void {
  ctx.background('operator connected', async () => {
    await touchActivity(ctx.db, actor.accountId, actor.operatorId, ctx.clock.sqlNow());
    changed(ctx, actor.accountId, [actor.operatorId], true);
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'server shutting down') return;
    changed(ctx, actor.accountId, [actor.operatorId], false);
  });
}

/** A chat was accepted, assigned, transferred or closed: its operators' load changed. */
export function loadChanged(ctx: AppContext, accountId: string, conversationId: string, others: readonly (string | null)[] = []): void {
  ctx.background('operator load', async () => {
    const current = await operatorOfConversation(ctx.db, accountId, conversationId);
    for (const id of new Set([current, ...others])) if (id) publishOperator(ctx, accountId, id);
  });
}

/** Admins: an operator's limit of concurrent chats and their departments (the Team page). */
export async function updateOperator(
  ctx: AppContext,
  actor: OperatorActor,
  operatorId: string,
  patch: OperatorRoutingPatch,
): Promise<OperatorAvailabilityView> {
  const departmentIds = patch.departmentIds && [...new Set(patch.departmentIds)];
  const raised = await ctx.db.transaction(async (tx) => {
    const [before] = await listOperatorsWithLoad(tx, actor.accountId, operatorId);
    if (!before) throw noSuchOperator();
    if (departmentIds) {
      if ((await countDepartmentsIn(tx, actor.accountId, departmentIds)) !== departmentIds.length) throw noSuchDepartment();
      await setOperatorDepartments(tx, actor.accountId, operatorId, departmentIds);
    }
    if (patch.maxChats !== undefined) await updateOperatorRouting(tx, actor.accountId, operatorId, { maxChats: patch.maxChats });
    return (patch.maxChats ?? 0) > before.maxChats || !!departmentIds?.some((d) => !before.departmentIds.includes(d));
  });
  changed(ctx, actor.accountId, [operatorId], raised);
  const view = await operatorView(ctx, actor.accountId, operatorId);
  if (!view) throw noSuchOperator();
  return view;
}

/** The operator's own auto-away (null: the account's default). */
export async function updateMe(ctx: AppContext, actor: OperatorActor, autoAwayMinutes: number | null | undefined): Promise<OperatorAvailabilityView> {
  if (autoAwayMinutes !== undefined) await updateOperatorRouting(ctx.db, actor.accountId, actor.operatorId, { autoAwayMinutes });
  publishOperator(ctx, actor.accountId, actor.operatorId);
  const view = await operatorView(ctx, actor.accountId, actor.operatorId);
  if (!view) throw noSuchOperator();
  return view;
}

// ── departments ────────────────────────────────────────────────────────────────────────────

export async function listDepartments(ctx: AppContext, actor: OperatorActor): Promise<DepartmentView[]> {
  return (await listDepartmentRows(ctx.db, actor.accountId)).map(presentDepartment);
}

async function departmentView(ctx: AppContext, accountId: string, departmentId: string): Promise<DepartmentView> {
  const found = (await listDepartmentRows(ctx.db, accountId)).find((d) => d.id === departmentId);
  if (!found) throw noSuchDepartment();
  return presentDepartment(found);
}

const nameTaken = (name: string) => new AppError('conflict', `There is a department called ${name} already.`);

export async function createDepartment(ctx: AppContext, actor: OperatorActor, name: string): Promise<DepartmentView> {
  if ((await countDepartments(ctx.db, actor.accountId)) >= MAX_DEPARTMENTS) throw new AppError('conflict', `At most ${MAX_DEPARTMENTS} departments.`);
  const row = await insertDepartment(ctx.db, actor.accountId, name);
  if (!row) throw nameTaken(name);
  changed(ctx, actor.accountId, [], false);
  return presentDepartment({ ...row, operatorIds: [] });
}

export async function updateDepartment(ctx: AppContext, actor: OperatorActor, departmentId: string, patch: DepartmentPatch): Promise<DepartmentView> {
  const operatorIds = patch.operatorIds && [...new Set(patch.operatorIds)];
  const moved = await ctx.db
    .transaction(async (tx) => {
      if (!(await findDepartment(tx, actor.accountId, departmentId))) throw noSuchDepartment();
      if (patch.name !== undefined) await renameDepartment(tx, actor.accountId, departmentId, patch.name);
      if (!operatorIds) return [];
      if ((await countOperators(tx, actor.accountId, operatorIds)) !== operatorIds.length) throw noSuchOperator();
      return setDepartmentMembers(tx, actor.accountId, departmentId, operatorIds);
    })
    .catch((err: unknown) => {
      // The unique (account, lower(name)) index: another department has that name.
      if (patch.name !== undefined && sqlState(err) === '23505') throw nameTaken(patch.name);
      throw err;
    });
  changed(ctx, actor.accountId, moved, moved.length > 0);
  return departmentView(ctx, actor.accountId, departmentId);
}

/** Its chats go back to the whole account (the foreign key sets them null). */
export async function deleteDepartment(ctx: AppContext, actor: OperatorActor, departmentId: string): Promise<null> {
  const members = (await listDepartmentRows(ctx.db, actor.accountId)).find((d) => d.id === departmentId)?.operatorIds ?? [];
  if (!(await deleteDepartmentRow(ctx.db, actor.accountId, departmentId))) throw noSuchDepartment();
  changed(ctx, actor.accountId, members, true);
  return null;
}

// ── settings ───────────────────────────────────────────────────────────────────────────────

export function getSettings(ctx: AppContext, actor: OperatorActor): Promise<RoutingSettingsView> {
  return findSettings(ctx.db, actor.accountId);
}

export async function updateSettings(ctx: AppContext, actor: OperatorActor, patch: RoutingSettingsPatch): Promise<RoutingSettingsView> {
  const saved = await saveSettings(ctx.db, actor.accountId, patch);
  // Switching to auto-assign drains the queue at once.
  ctx.events.publish('availability.changed', { accountId: actor.accountId, capacity: patch.mode === 'auto' });
  return saved;
}
