import type { VisitorSession } from '../../../../shared/events';
import { AppError } from '../../../../shared/errors';
import type { pageViewPayload, VisitorView } from '../../../../shared/schemas/visitors';
import type { z } from 'zod';
import type { OperatorActor, VisitorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import { rooms } from '../../realtime/rooms';
import type { AccountRow } from '../../db/schema/accounts';
import { presentMessages } from '../chats/attachments';
import { presentVisitorConversation } from '../chats/presenter';
import { SYNC_PAGE_SIZE } from '../../../../shared/protocol';
import { accountAvailability } from '../../realtime/availability';
import { onlineOperatorIds } from '../../realtime/presence';
import { isVisitorOnline, onlineVisitorIds } from './presence';
import { presentPageVisit, presentVisitor, presentVisitorAvailability } from './presenter';
import { cancelRuleTimer, evaluateRules, pendingInvitationOf } from './invitations';
import {
  deleteVisitor,
  findVisitorWithChat,
  listPageViews,
  listVisitorsWithChat,
  markVisitorSeen,
  visitorExists,
  recordPageView,
  type VisitorOrigin,
  type VisitorWithChat,
} from './repo';

/** The grid shows online visitors plus those seen in the last half hour, newest first, capped. */
const GRID_RECENT_MINUTES = 30;
// P2: the grid is smooth at 5,000 visitors (tests/bench/grid.ts); the cap keeps one list answer bounded.
const GRID_LIMIT = 10_000;

/**
 * The visitor behind a widget handshake and what `session:started` tells them, in one statement
 * shared with the handshakes arriving together (#4: after a restart every widget reconnects at
 * once; VisitorConnector). `claimed` is the visitor of the handshake's token, verified by the
 * caller (genuine, issued for this account, not expired): the visitor is that one if they still
 * exist; otherwise a brand-new visitor (never somebody else). With `known` (the conversation and
 * seq the widget holds), only the messages after that seq are sent again.
 */
export async function connectVisitorSession(
  ctx: AppContext,
  account: AccountRow,
  claimed: string | null,
  origin: VisitorOrigin,
  known: { conversationId: string; seq: number } | null,
): Promise<{ visitor: VisitorWithChat; session: VisitorSession }> {
  const [connection, connectedOperators, availability] = await Promise.all([
    ctx.visitorConnector.connect({ accountId: account.id, claimedVisitorId: claimed, origin, known, pageSize: SYNC_PAGE_SIZE }),
    onlineOperatorIds(ctx.rt.operators, account.id),
    // #6 (P11): "online" is status online with a panel connected, per department too.
    accountAvailability(ctx.db, ctx.rt.operators, account.id),
  ]);
  const { visitor, conversation } = connection;
  // #5: whether the operator of an active chat is here, from the lookup the availability reads too.
  const operatorPresent = !!conversation?.operatorId && connectedOperators.has(conversation.operatorId);
  const row: VisitorWithChat = { visitor, chat: conversation && { id: conversation.id, status: conversation.status, lastAuthor: conversation.lastAuthor } };
  return {
    visitor: row,
    session: {
      visitorId: visitor.id,
      visitorToken: ctx.visitorTokens.sign(account.id, visitor.id),
      accountName: account.name,
      ...presentVisitorAvailability(availability),
      chat: conversation
        ? {
            conversation: presentVisitorConversation(conversation, operatorPresent),
            messages: await presentMessages(ctx, account.id, connection.messages, 'public'),
          }
        : null,
      // P4: an invitation still waiting for an answer shows in this tab too (a query only when there is one).
      invitation: await pendingInvitationOf(ctx, account.id, row),
    },
  };
}

/**
 * Stores a page view (current page + navigation history) and shows it in the operators' grid.
 * One write in flight per visitor; a page view superseded while it waited is not stored (#4).
 */
export async function recordVisit(ctx: AppContext, actor: VisitorActor, page: z.output<typeof pageViewPayload>): Promise<null> {
  const { accountId, visitorId } = actor;
  await ctx.visitorActivity.coalesce(visitorId, async () => {
    const row = await recordPageView(ctx.db, accountId, visitorId, {
      url: page.url,
      title: page.title,
      referrer: page.referrer,
      language: page.language,
      screen: page.screen ? `${page.screen.width}×${page.screen.height}` : null,
      timezone: page.timezone ?? null,
    });
    if (!row) return;
    // The statement returned the row as the grid shows it: no second query (#3).
    sendVisitorUpdated(ctx, accountId, presentVisitor(row, true));
    // P6: the new page, live, to the panels showing this visitor's history (not to the whole account).
    ctx.rt.operators.to(rooms.visitorWatchers(visitorId)).emit('visitor:paged', { visitorId, page: presentPageVisit(row.page) });
    // P4: the account's automatic invitation rules, on the row just stored.
    ctx.background('invitation rules', () => evaluateRules(ctx, accountId, row));
  });
  return null;
}

/**
 * `visitor:history` (P6): the visitor's pages, newest first; the socket then follows their next
 * pages (`visitor:paged`) until `visitor:unwatch` or it disconnects. Joined before the read, so
 * no page stored after it is missed.
 */
export async function visitorHistory(ctx: AppContext, actor: OperatorActor, input: { visitorId: string }, watch: (room: string) => unknown) {
  if (!(await visitorExists(ctx.db, actor.accountId, input.visitorId))) throw new AppError('not_found', 'Visitor not found.');
  await watch(rooms.visitorWatchers(input.visitorId));
  return (await listPageViews(ctx.db, actor.accountId, input.visitorId)).map(presentPageVisit);
}

/** `visitor:unwatch` (P6): the socket stops following the visitor's pages. */
export async function visitorUnwatch(ctx: AppContext, actor: OperatorActor, input: { visitorId: string }, leave: (room: string) => unknown): Promise<null> {
  if (!(await visitorExists(ctx.db, actor.accountId, input.visitorId))) throw new AppError('not_found', 'Visitor not found.');
  await leave(rooms.visitorWatchers(input.visitorId));
  return null;
}

/**
 * A visitor's row to the account's operators, in the account's next `visitors:updated` frame
 * (#4). Page views: at most once a second per visitor, latest row last. `urgent` rows (connected,
 * left, contact details) go in the next frame.
 */
function sendVisitorUpdated(ctx: AppContext, accountId: string, view: VisitorView, urgent = false): void {
  ctx.visitorActivity.updateRow(accountId, view, { urgent });
}

/** After a visitor socket closed: if it was the visitor's last tab anywhere, they go offline. */
export async function visitorDisconnected(ctx: AppContext, accountId: string, visitorId: string): Promise<void> {
  if (await isVisitorOnline(ctx.rt.visitors, visitorId)) return;
  cancelRuleTimer(ctx, visitorId);
  await markVisitorSeen(ctx.db, accountId, visitorId);
  publishVisitor(ctx, accountId, visitorId, false);
}

/** The visitors grid of an account: one build serves the operators asking at the same time (#4). */
export function listVisitors(ctx: AppContext, actor: OperatorActor): Promise<VisitorView[]> {
  return ctx.visitorActivity.grid(actor.accountId, () => buildGrid(ctx, actor.accountId));
}

async function buildGrid(ctx: AppContext, accountId: string): Promise<VisitorView[]> {
  const online = await onlineVisitorIds(ctx.rt.visitors, accountId);
  const rows = await listVisitorsWithChat(ctx.db, accountId, { onlineIds: online, recentMinutes: GRID_RECENT_MINUTES, limit: GRID_LIMIT });
  const onlineSet = new Set(online);
  return rows.map((r) => presentVisitor(r, onlineSet.has(r.visitor.id)));
}

/** A visitor row the caller already holds (connected, left, contact details): to the operators at once. */
export function announceVisitor(ctx: AppContext, accountId: string, row: VisitorWithChat, online: boolean): void {
  sendVisitorUpdated(ctx, accountId, presentVisitor(row, online), true);
}

/**
 * Sends the visitor's current row to the account's operators (`visitors:updated`). Fire and
 * forget: a failure is logged, it never fails the command that caused it. `online` skips the
 * presence lookup when the caller knows.
 */
export function publishVisitor(ctx: AppContext, accountId: string, visitorId: string, online?: boolean): void {
  ctx.background('visitors:updated', async () => {
    const [row, isOnline] = await Promise.all([findVisitorWithChat(ctx.db, accountId, visitorId), online ?? isVisitorOnline(ctx.rt.visitors, visitorId)]);
    if (row) announceVisitor(ctx, accountId, row, isOnline);
  });
}

/** Shortest time between two `availability:updated` broadcasts to one account's widgets (#4). */
const AVAILABILITY_EVERY_MS = 1_000;
const pendingAvailability = new WeakMap<AppContext['rt']['visitors'], Map<string, { timer: NodeJS.Timeout | null; dirty: boolean }>>();
/**
 * What the account's widgets were last told (its JSON), by this node or another: kept past the
 * second above, so the second operator of the morning sends nothing either.
 */
const sentAvailability = new WeakMap<AppContext['rt']['visitors'], Map<string, string>>();

function sentAvailabilityOf(ctx: AppContext): Map<string, string> {
  let accounts = sentAvailability.get(ctx.rt.visitors);
  if (!accounts) sentAvailability.set(ctx.rt.visitors, (accounts = new Map()));
  return accounts;
}

function rememberSentAvailability(ctx: AppContext, accountId: string, key: string): void {
  const accounts = sentAvailabilityOf(ctx);
  // Forgetting costs one broadcast that changes nothing for the widgets.
  if (accounts.size >= 10_000 && !accounts.has(accountId)) accounts.clear();
  accounts.set(accountId, key);
}

/**
 * Another node's `availability:updated` reached the widgets too: this node compares with it, not
 * with what it last sent itself (else an operator back on this node after the last one left on
 * another would find "available" already sent, and the widgets would stay offline).
 */
export function hearOtherNodesAvailability(ctx: AppContext): void {
  if (ctx.rt.crossNode) ctx.rt.visitors.on('availability:sent', (accountId, key) => rememberSentAvailability(ctx, accountId, key));
}

/**
 * Tells the account's widgets whether someone is available, in all and per department (they offer
 * a ticket form when nobody is; the pre-chat form offers the departments with someone), when an
 * operator connects, leaves or changes status, or the departments change (#6). A change goes out
 * at once; changes within the next second go out together at its end; and only what differs from
 * what the widgets were last told goes out at all. After a restart every panel reconnects: each
 * connect broadcasting to every widget of its account was the largest part of the server's work;
 * widgets see no counts, so only the first operator back (per department) sends anything (#4).
 */
export function announceOperatorAvailability(ctx: AppContext, accountId: string): void {
  let accounts = pendingAvailability.get(ctx.rt.visitors);
  if (!accounts) pendingAvailability.set(ctx.rt.visitors, (accounts = new Map()));
  let state = accounts.get(accountId);
  if (!state) accounts.set(accountId, (state = { timer: null, dirty: false }));
  if (state.timer) {
    state.dirty = true;
    return;
  }
  const entry = state;
  const send = () =>
    ctx.background('availability:updated', async () => {
      const update = presentVisitorAvailability(await accountAvailability(ctx.db, ctx.rt.operators, accountId, true));
      const key = JSON.stringify(update);
      if (key === sentAvailabilityOf(ctx).get(accountId)) return;
      rememberSentAvailability(ctx, accountId, key);
      ctx.rt.visitors.to(rooms.accountVisitors(accountId)).emit('availability:updated', update);
      if (ctx.rt.crossNode) ctx.rt.visitors.serverSideEmit('availability:sent', accountId, key);
    });
  const settle = () => {
    if (!entry.dirty) {
      entry.timer = null;
      accounts.delete(accountId);
      return;
    }
    entry.dirty = false;
    send();
    entry.timer = setTimeout(settle, AVAILABILITY_EVERY_MS).unref();
  };
  send();
  entry.timer = setTimeout(settle, AVAILABILITY_EVERY_MS).unref();
}

/**
 * "Forget this visitor" (#4): deletes the visitor with their conversations, messages and page
 * views, then closes their widgets' sockets on every node (after the commit, so a reconnect can't
 * find them any more: their old token resolves to nothing and they come back as a new visitor)
 * and tells the account's operators the row and its chats are gone.
 */
export async function forgetVisitor(ctx: AppContext, actor: OperatorActor, input: { visitorId: string }): Promise<null> {
  const { accountId } = actor;
  const { visitorId } = input;
  const removed = await deleteVisitor(ctx.db, accountId, visitorId);
  if (!removed) throw new AppError('not_found', 'Visitor not found.');
  ctx.rt.visitors.in(rooms.visitor(visitorId)).disconnectSockets();
  ctx.visitorActivity.removeVisitor(accountId, { visitorId, conversationIds: removed.conversationIds });
  ctx.events.publish('visitor.forgotten', { accountId, visitorId, conversationIds: removed.conversationIds });
  return null;
}
