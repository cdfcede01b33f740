import type { VisitorSession } from '../../../../shared/events';
import type { pageViewPayload, VisitorView } from '../../../../shared/schemas/visitors';
import type { z } from 'zod';
import type { AppContext } from '../../context';
import { rooms } from '../../realtime/rooms';
import type { AccountRow } from '../accounts/repo';
import { findOpenConversation } from '../chats/repo';
import { withMessages } from '../chats/service';
import { countOperatorsOnline, isVisitorOnline, onlineVisitorIds } from './presence';
import { presentVisitor } from './presenter';
import {
  findVisitorWithChat,
  insertVisitor,
  listVisitorsWithChat,
  markVisitorSeen,
  recordPageView,
  touchVisitorOnConnect,
  type VisitorOrigin,
  type VisitorRow,
} from './repo';

/** The grid shows online visitors plus those seen in the last half hour, newest first, capped. */
const GRID_RECENT_MINUTES = 30;
const GRID_LIMIT = 2000;

/**
 * The visitor behind a widget handshake: the token's visitor if the token is genuine, was issued
 * for this account and the visitor exists; otherwise a brand-new visitor (never somebody else).
 */
export async function resolveVisitor(ctx: AppContext, accountId: string, token: string | undefined, origin: VisitorOrigin): Promise<VisitorRow> {
  const claimed = ctx.visitorTokens.verify(accountId, token);
  const known = claimed ? await touchVisitorOnConnect(ctx.db, accountId, claimed, origin) : null;
  return known ?? insertVisitor(ctx.db, accountId, origin);
}

/** What `session:ready` tells the widget: its token, its open chat with history, who is online. */
export async function buildVisitorSession(ctx: AppContext, account: AccountRow, visitorId: string): Promise<VisitorSession> {
  const [open, operatorsOnline] = await Promise.all([
    findOpenConversation(ctx.db, account.id, visitorId),
    countOperatorsOnline(ctx.rt.operators, account.id),
  ]);
  return {
    visitorId,
    visitorToken: ctx.visitorTokens.sign(account.id, visitorId),
    accountName: account.name,
    operatorsOnline,
    chat: open ? await withMessages(ctx.db, open) : null,
  };
}

/**
 * Stores a page view (current page + navigation history) and shows it in the operators' grid.
 * One write in flight per visitor; a page view superseded while it waited is not stored (#4).
 */
export async function recordVisit(ctx: AppContext, accountId: string, visitorId: string, page: z.output<typeof pageViewPayload>): Promise<null> {
  await ctx.visitorActivity.coalesce(visitorId, async () => {
    const row = await recordPageView(ctx.db, accountId, visitorId, {
      url: page.url,
      title: page.title,
      referrer: page.referrer,
      language: page.language,
      screen: page.screen ? `${page.screen.width}×${page.screen.height}` : null,
      timezone: page.timezone ?? null,
    });
    // The statement returned the row as the grid shows it: no second query (#3).
    if (row) sendVisitorUpdated(ctx, accountId, presentVisitor(row, true));
  });
  return null;
}

/**
 * `visitor:updated` to the account's operators. Page views: at most once a second per visitor,
 * latest row last (#4). `urgent` rows (connected, left, contact details) go at once.
 */
function sendVisitorUpdated(ctx: AppContext, accountId: string, view: VisitorView, urgent = false): void {
  ctx.visitorActivity.throttleUpdate(view.id, () => ctx.rt.operators.to(rooms.accountOperators(accountId)).emit('visitor:updated', view), { urgent });
}

/** After a visitor socket closed: if it was the visitor's last tab anywhere, they go offline. */
export async function visitorDisconnected(ctx: AppContext, accountId: string, visitorId: string): Promise<void> {
  if (await isVisitorOnline(ctx.rt.visitors, visitorId)) return;
  await markVisitorSeen(ctx.db, accountId, visitorId);
  publishVisitor(ctx, accountId, visitorId, false);
}

/** The visitors grid of an account. */
export async function listVisitors(ctx: AppContext, accountId: string): Promise<VisitorView[]> {
  const online = await onlineVisitorIds(ctx.rt.visitors, accountId);
  const rows = await listVisitorsWithChat(ctx.db, accountId, { onlineIds: online, recentMinutes: GRID_RECENT_MINUTES, limit: GRID_LIMIT });
  const onlineSet = new Set(online);
  return rows.map((r) => presentVisitor(r, onlineSet.has(r.visitor.id)));
}

/**
 * Sends the visitor's current row to the account's operators (`visitor:updated`). Fire and
 * forget: a failure is logged, it never fails the command that caused it. `online` skips the
 * presence lookup when the caller knows.
 */
export function publishVisitor(ctx: AppContext, accountId: string, visitorId: string, online?: boolean): void {
  ctx.background('visitor:updated', async () => {
    const [row, isOnline] = await Promise.all([
      findVisitorWithChat(ctx.db, accountId, visitorId),
      online ?? isVisitorOnline(ctx.rt.visitors, visitorId),
    ]);
    if (row) sendVisitorUpdated(ctx, accountId, presentVisitor(row, isOnline), true);
  });
}

/** Tells the account's widgets how many operators are online (they offer a ticket form at 0). */
export async function publishOperatorAvailability(ctx: AppContext, accountId: string): Promise<void> {
  const online = await countOperatorsOnline(ctx.rt.operators, accountId);
  ctx.rt.visitors.to(rooms.accountVisitors(accountId)).emit('operators:availability', { online });
}
