/**
 * Canned responses (P10, #6): the rules. Personal ones are their owner's alone (anyone else gets
 * `not_found`, as if they did not exist); the account's are read by every operator and changed
 * only by admins (`forbidden`). Every query is scoped by `actor.accountId`. After a change, the
 * panels concerned get `canned:saved` / `canned:deleted`: the whole team for the account's, the
 * owner's own sockets for a personal one.
 */
import { AppError } from '../../../../shared/errors';
import { roleReaches } from '../../../../shared/contract';
import type { CannedCreatePayload, CannedDeleted, CannedPatch, CannedScope, CannedView } from '../../../../shared/schemas/canned';
import type { OperatorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import { rooms } from '../../realtime/rooms';
import { presentCanned } from './presenter';
import { deleteCanned, findCanned, insertCanned, listCanned, updateCanned, type CannedRow } from './repo';

const notFound = () => new AppError('not_found', 'No such canned response.');
const taken = (scope: CannedScope, shortcut: string) =>
  new AppError(
    'conflict',
    scope === 'account'
      ? `The account already has a canned response /${shortcut}: choose another shortcut.`
      : `You already have a canned response /${shortcut}: choose another shortcut.`,
    [{ path: 'shortcut', message: scope === 'account' ? `/${shortcut} is taken in the account's responses` : `You already use /${shortcut}` }],
  );

function requireAdminFor(actor: OperatorActor, scope: CannedScope) {
  if (scope === 'account' && !roleReaches(actor.role, 'admin')) throw new AppError('forbidden', "Only admins can change the account's canned responses.");
}

function announce(ctx: AppContext, row: CannedRow, event: 'saved' | 'deleted') {
  const view = presentCanned(row);
  const to = row.operatorId ? rooms.operator(row.operatorId) : rooms.accountOperators(row.accountId);
  if (event === 'saved') ctx.rt.operators.to(to).emit('canned:saved', view);
  else ctx.rt.operators.to(to).emit('canned:deleted', { id: view.id, scope: view.scope });
}

/** The panel's list: the account's and the operator's own. `scope: 'account'`: the account's only (the options page). */
export async function listResponses(ctx: AppContext, actor: OperatorActor, scope?: 'account'): Promise<CannedView[]> {
  const rows = await listCanned(ctx.db, actor.accountId, scope === 'account' ? null : actor.operatorId);
  return rows.map(presentCanned);
}

export async function createResponse(ctx: AppContext, actor: OperatorActor, input: CannedCreatePayload): Promise<CannedView> {
  const scope = input.scope ?? 'personal';
  requireAdminFor(actor, scope);
  const row = await insertCanned(ctx.db, {
    accountId: actor.accountId,
    operatorId: scope === 'personal' ? actor.operatorId : null,
    shortcut: input.shortcut,
    title: input.title,
    body: input.body,
  });
  if (!row) throw taken(scope, input.shortcut);
  announce(ctx, row, 'saved');
  return presentCanned(row);
}

/** The response `id` the actor may change; `only: 'account'` (the options page) treats personal ones as not there. */
async function changeable(ctx: AppContext, actor: OperatorActor, id: string, only?: 'account'): Promise<CannedRow> {
  const row = await findCanned(ctx.db, actor.accountId, actor.operatorId, id);
  if (!row || (only === 'account' && row.operatorId)) throw notFound();
  requireAdminFor(actor, row.operatorId ? 'personal' : 'account');
  return row;
}

export async function updateResponse(ctx: AppContext, actor: OperatorActor, id: string, patch: CannedPatch, only?: 'account'): Promise<CannedView> {
  const current = await changeable(ctx, actor, id, only);
  const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as CannedPatch;
  if (Object.keys(changes).length === 0) return presentCanned(current);
  const row = await updateCanned(ctx.db, actor.accountId, id, changes);
  if (row === 'taken') throw taken(current.operatorId ? 'personal' : 'account', changes.shortcut ?? current.shortcut);
  if (!row) throw notFound();
  announce(ctx, row, 'saved');
  return presentCanned(row);
}

export async function deleteResponse(ctx: AppContext, actor: OperatorActor, id: string, only?: 'account'): Promise<CannedDeleted> {
  const current = await changeable(ctx, actor, id, only);
  if (!(await deleteCanned(ctx.db, actor.accountId, id))) throw notFound();
  announce(ctx, current, 'deleted');
  return { id, scope: current.operatorId ? 'personal' : 'account' };
}
