/**
 * P4: invitations to chat — by an operator from the grid, or by the account's automatic rules —
 * and the visitor's "No thanks". Accepting one starts a chat: that is the chats feature's
 * (`invitation:accept`, chats/proactive.ts), which takes the invitation in its transaction.
 *
 * Where the rules are evaluated: on the server, at the page view it stores anyway (the row it
 * returns carries the URL, pages viewed, visits and whether a chat is open, so the static
 * conditions cost no query; the rules are cached per account for a few seconds). A rule that
 * wants N seconds on the page sets one timer for that visitor on the node holding their socket,
 * cancelled by their next page view or their leaving. Not in the widget: it would carry the
 * rules (its size budget) and anyone could read them; and the server decides once, atomically,
 * that nothing invited the visitor yet this visit (`insertInvitation` with `oncePerVisit`).
 */
import { AppError } from '../../../../shared/errors';
import type {
  InvitationRuleView,
  VisitorInvitationView,
  invitationRuleInput,
  invitationRulePatch,
  VisitorInvitePayload,
} from '../../../../shared/schemas/visitors';
import { urlMatcher } from '../../../../shared/urlPattern';
import type { z } from 'zod';
import type { OperatorActor, VisitorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import type { InvitationRuleRow } from '../../db/schema/visitors';
import { accountAvailability } from '../../realtime/availability';
import { rooms } from '../../realtime/rooms';
import { isVisitorOnline } from './presence';
import { presentInvitation, presentRule } from './presenter';
import {
  deleteRule,
  dismissInvitation,
  findPendingInvitation,
  insertInvitation,
  insertRule,
  listRules,
  updateRule,
  visitorExists,
  type NewInvitation,
  type VisitorWithChat,
} from './repo';
import { announceVisitor } from './service';

/** How long a node keeps an account's rules before reading them again (a change on this node clears it at once). */
const RULES_TTL_MS = 5_000;

interface CompiledRule {
  row: InvitationRuleRow;
  matches: (url: string) => boolean;
}

const ruleCache = new WeakMap<AppContext, Map<string, { at: number; rules: Promise<CompiledRule[]> }>>();
/** Visitors with a rule waiting for its seconds on the page, on this node. */
const timers = new WeakMap<AppContext, Map<string, NodeJS.Timeout>>();

function cacheOf(ctx: AppContext) {
  let map = ruleCache.get(ctx);
  if (!map) ruleCache.set(ctx, (map = new Map()));
  return map;
}

function timersOf(ctx: AppContext) {
  let map = timers.get(ctx);
  if (!map) timers.set(ctx, (map = new Map()));
  return map;
}

function enabledRules(ctx: AppContext, accountId: string): Promise<CompiledRule[]> {
  const cache = cacheOf(ctx);
  const hit = cache.get(accountId);
  if (hit && Date.now() - hit.at < RULES_TTL_MS) return hit.rules;
  const rules = listRules(ctx.db, accountId).then((rows) =>
    rows.filter((r) => r.enabled).map((row) => ({ row, matches: row.urlPattern ? urlMatcher(row.urlPattern) : () => true })),
  );
  // A failed read is not kept: the next page view tries again.
  rules.catch(() => cache.delete(accountId));
  cache.set(accountId, { at: Date.now(), rules });
  return rules;
}

/** A visitor's pending rule timer is dropped (next page, left). */
export function cancelRuleTimer(ctx: AppContext, visitorId: string): void {
  const map = timersOf(ctx);
  const timer = map.get(visitorId);
  if (timer) clearTimeout(timer);
  map.delete(visitorId);
}

/** The conditions of a rule that the stored page view can answer (the seconds on the page come after). */
export function ruleApplies(rule: InvitationRuleRow, matches: (url: string) => boolean, v: VisitorWithChat['visitor']): boolean {
  if (rule.urlPattern && !(v.currentUrl && matches(v.currentUrl))) return false;
  if (rule.minPagesViewed !== null && v.pagesViewed < rule.minPagesViewed) return false;
  if (rule.returning !== null && v.visits > 1 !== rule.returning) return false;
  return true;
}

/**
 * After a page view was stored: the first enabled rule (oldest first) whose conditions hold
 * invites the visitor, at once or after its seconds on this page. Nothing when they are in a
 * chat, were invited already this visit, or no operator is online to answer.
 */
export async function evaluateRules(ctx: AppContext, accountId: string, row: VisitorWithChat): Promise<void> {
  const v = row.visitor;
  cancelRuleTimer(ctx, v.id);
  if (row.chat || (v.invitedAt && v.invitedAt >= v.visitStartedAt)) return;
  const rules = await enabledRules(ctx, accountId);
  const rule = rules.find((r) => ruleApplies(r.row, r.matches, v));
  if (!rule) return;
  const invite = () =>
    ctx.background('invitation rule', async () => {
      timersOf(ctx).delete(v.id);
      // A1: someone must be there to answer: of the rule's department when it has one.
      if (!(await someoneAvailable(ctx, accountId, rule.row.departmentId))) return;
      const account = await ctx.accounts.get(accountId);
      if (!account) return;
      await makeInvitation(
        ctx,
        accountId,
        v.id,
        {
          operatorId: null,
          senderName: account.name,
          message: rule.row.message,
          ruleId: rule.row.id,
          departmentId: rule.row.departmentId,
        },
        { oncePerVisit: true },
      );
    });
  if (rule.row.secondsOnPage <= 0) return invite();
  timersOf(ctx).set(v.id, setTimeout(invite, rule.row.secondsOnPage * 1000).unref());
}

/** Stores the invitation and tells the visitor's tabs and the operators; null if it may not be made now. */
async function makeInvitation(
  ctx: AppContext,
  accountId: string,
  visitorId: string,
  invitation: NewInvitation,
  opts: { oncePerVisit: boolean },
): Promise<VisitorInvitationView | null> {
  const made = await insertInvitation(ctx.db, accountId, visitorId, invitation, opts);
  if (!made) return null;
  const view = presentInvitation(made.invitation);
  const tabs = ctx.rt.visitors.to(rooms.visitor(visitorId));
  for (const invitationId of made.replaced) tabs.emit('invitation:closed', { invitationId });
  tabs.emit('invitation:received', view);
  announceVisitor(ctx, accountId, made.visitor, true);
  return view;
}

/**
 * `visitor:invite`: an operator invites a visitor who is on the site. An explicit invitation is
 * made even if the visitor dismissed one this visit (the operator sees that on the row and
 * chooses to ask again); rules never ask twice in a visit.
 */
export async function inviteVisitor(ctx: AppContext, actor: OperatorActor, input: VisitorInvitePayload): Promise<VisitorInvitationView> {
  const { accountId } = actor;
  if (!(await visitorExists(ctx.db, accountId, input.visitorId))) throw new AppError('not_found', 'Visitor not found.');
  if (!(await isVisitorOnline(ctx.rt.visitors, input.visitorId))) throw new AppError('conflict', 'This visitor is not on the site any more.');
  cancelRuleTimer(ctx, input.visitorId);
  const view = await makeInvitation(
    ctx,
    accountId,
    input.visitorId,
    { operatorId: actor.operatorId, senderName: actor.name, message: input.message, ruleId: null, departmentId: null },
    { oncePerVisit: false },
  );
  if (!view) throw new AppError('conflict', 'This visitor is already in a chat.');
  return view;
}

/** `invitation:dismiss`: "No thanks", remembered for the visit; the other tabs hide it too. */
export async function dismissVisitorInvitation(ctx: AppContext, actor: VisitorActor, input: { invitationId: string }): Promise<null> {
  const { accountId, visitorId } = actor;
  const result = await dismissInvitation(ctx.db, accountId, visitorId, input.invitationId);
  if (!result) throw new AppError('not_found', 'Invitation not found.');
  ctx.rt.visitors.to(rooms.visitor(visitorId)).emit('invitation:closed', { invitationId: input.invitationId });
  if (result !== 'unchanged') announceVisitor(ctx, accountId, result, true);
  return null;
}

/** A tab that connects while an invitation waits shows it too (one query, only for invited visitors). */
export async function pendingInvitationOf(ctx: AppContext, accountId: string, row: VisitorWithChat): Promise<VisitorInvitationView | null> {
  const v = row.visitor;
  if (row.chat || v.invitationState !== 'pending' || !v.invitedAt || v.invitedAt < v.visitStartedAt) return null;
  const pending = await findPendingInvitation(ctx.db, accountId, v.id);
  return pending && presentInvitation(pending);
}

// ── Rules (admins, options page) ─────────────────────────────────────────────────────────────

type RuleInput = z.output<typeof invitationRuleInput>;
type RulePatch = z.output<typeof invitationRulePatch>;

/** What a new rule leaves out is off: any page, at once, anyone. */
const RULE_DEFAULTS = { enabled: true, secondsOnPage: 0, urlPattern: null, minPagesViewed: null, returning: null, departmentId: null };

export async function listInvitationRules(ctx: AppContext, actor: OperatorActor): Promise<InvitationRuleView[]> {
  return (await listRules(ctx.db, actor.accountId)).map(presentRule);
}

/** How many operators can take chats now: the department's, or the account's for none (P11: availability.ts). */
async function someoneAvailable(ctx: AppContext, accountId: string, departmentId: string | null): Promise<boolean> {
  const { availableIds, departments } = await accountAvailability(ctx.db, ctx.rt.operators, accountId);
  return departmentId ? (departments.find((d) => d.id === departmentId)?.online ?? 0) > 0 : availableIds.size > 0;
}

/** A1: the department a rule's chats go to must be one of the account's. */
async function checkDepartment(ctx: AppContext, accountId: string, departmentId: string | null | undefined): Promise<void> {
  if (!departmentId) return;
  const { departments } = await accountAvailability(ctx.db, ctx.rt.operators, accountId, true);
  if (!departments.some((d) => d.id === departmentId)) throw new AppError('not_found', 'No such department.');
}

export async function createInvitationRule(ctx: AppContext, actor: OperatorActor, input: RuleInput): Promise<InvitationRuleView> {
  await checkDepartment(ctx, actor.accountId, input.departmentId);
  const row = await insertRule(ctx.db, actor.accountId, { ...RULE_DEFAULTS, ...stripUndefined(input), name: input.name, message: input.message });
  cacheOf(ctx).delete(actor.accountId);
  return presentRule(row);
}

export async function updateInvitationRule(ctx: AppContext, actor: OperatorActor, ruleId: string, input: RulePatch): Promise<InvitationRuleView> {
  await checkDepartment(ctx, actor.accountId, input.departmentId);
  const row = await updateRule(ctx.db, actor.accountId, ruleId, stripUndefined(input));
  if (!row) throw new AppError('not_found', 'Rule not found.');
  cacheOf(ctx).delete(actor.accountId);
  return presentRule(row);
}

export async function deleteInvitationRule(ctx: AppContext, actor: OperatorActor, ruleId: string): Promise<null> {
  if (!(await deleteRule(ctx.db, actor.accountId, ruleId))) throw new AppError('not_found', 'Rule not found.');
  cacheOf(ctx).delete(actor.accountId);
  return null;
}

/** The fields given (zod leaves the others out or undefined). */
function stripUndefined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
