import { z } from 'zod';
import type { VisitorSession } from '../../../../shared/events';
import * as contract from '../../../../shared/events/visitors';
import type { OperatorActor, VisitorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import type { OperatorSocket, VisitorSocket } from '../../realtime/io';
import { refusal, shedOverload } from '../../realtime/overload';
import { rooms } from '../../realtime/rooms';
import { commands } from '../feature';
import { admitVisitorConnection } from './admission';
import { clientIp, lookupGeo, parseUserAgent } from './geo';
import { checkVisitorOrigin } from './origin';
import type { VisitorWithChat } from './repo';
import { announceVisitor, connectVisitorSession, listVisitors, recordVisit, visitorDisconnected, visitorHistory, visitorUnwatch } from './service';
import { dismissVisitorInvitation, inviteVisitor } from './invitations';

const visitorAuth = z.object({
  accountId: z.uuid(),
  visitorToken: z.string().max(200).optional(),
  /** The open chat the widget holds and the last seq it has of it: only later messages come again. */
  chat: z.object({ id: z.uuid(), lastSeq: z.number().int().min(0) }).optional(),
});

/**
 * #4: visitor handshakes one node works on at once, how many more wait for a slot in memory, and
 * the wait suggested to one refused past that (its client adds jitter). The ones at work share
 * statements (VisitorConnector: up to 128 in one), so enough run at once to fill two batches;
 * more would only wait in the connector's queue instead of this one.
 */
const HANDSHAKE_ADMISSION = {
  maxPending: 256,
  maxQueued: 2_000,
  retryAfterMs: 2_000,
  isGone: (socket: unknown) => (socket as VisitorSocket).conn.readyState !== 'open',
};

// Built during the handshake, used once the socket is connected.
const pendingSessions = new WeakMap<VisitorSocket, { session: VisitorSession; visitor: VisitorWithChat }>();

/**
 * /visitor handshake: `auth: { accountId, visitorToken?, chat? }`. An unknown account is refused
 * with connect_error `not_found`; a missing or bad token gets a brand-new visitor. All database
 * work happens here, in one statement shared with the handshakes arriving together (the account
 * comes from a cache), so the connection handler can register listeners before any event
 * arrives. Admission control (#4): 256 handshakes run at once, 2,000 more wait their turn, and
 * past that new ones are refused with `overloaded` and a retry-after.
 */
export function visitorHandshake(ctx: AppContext) {
  const sizes = ctx.config.limits.handshakes;
  const admission = sizes ? { ...HANDSHAKE_ADMISSION, maxPending: sizes.atOnce, maxQueued: sizes.queued } : HANDSHAKE_ADMISSION;
  return shedOverload<VisitorSocket>(admission, (socket, next) => {
    void (async () => {
      const auth = visitorAuth.safeParse(socket.handshake.auth);
      // The token is checked once, here (MAC, account, expiry); a forgotten visitor's token still
      // verifies but names no row any more, and connect_visitors then makes a new visitor.
      const claimed = auth.success ? ctx.visitorTokens.verify(auth.data.accountId, auth.data.visitorToken) : null;
      const tooMany = await admitVisitorConnection(ctx, socket, claimed);
      if (tooMany) return next(tooMany);
      const account = auth.success ? await ctx.accounts.get(auth.data.accountId) : null;
      if (!auth.success || !account) return next(refusal('not_found'));
      const foreign = checkVisitorOrigin(account, socket.handshake, ctx.config);
      if (foreign) return next(foreign);

      const { headers } = socket.handshake;
      const ip = clientIp(socket.handshake.address, headers['x-forwarded-for'], ctx.config.trustProxy);
      const userAgent = headers['user-agent']?.slice(0, 512) ?? null;
      const origin = { ip, ...lookupGeo(ip), userAgent, ...parseUserAgent(userAgent ?? undefined) };
      const known = auth.data.chat ? { conversationId: auth.data.chat.id, seq: auth.data.chat.lastSeq } : null;
      const connected = await connectVisitorSession(ctx, account, claimed, origin, known);
      socket.data = { accountId: account.id, visitorId: connected.session.visitorId };
      pendingSessions.set(socket, connected);
      next();
    })().catch((err: unknown) => {
      ctx.log.error('Visitor handshake failed', err);
      next(refusal('internal_error'));
    });
  });
}

/** A connected widget: its rooms, `session:started`, and going offline on the last tab. */
export function onVisitorConnection(ctx: AppContext, socket: VisitorSocket): void {
  const { accountId, visitorId } = socket.data;
  // #3: memory per idle visitor. The handshake has been read (IP, user agent: visitorHandshake);
  // the HTTP request object engine.io keeps for the connection's lifetime (with its headers and
  // parser state) is not needed any more. Socket.IO tolerates a null request.
  (socket.conn as unknown as { request: unknown }).request = null;
  socket.handshake.headers = {};
  void socket.join([rooms.visitor(visitorId), rooms.accountVisitors(accountId)]);

  socket.on('disconnect', () => ctx.background('visitor offline', () => visitorDisconnected(ctx, accountId, visitorId)));

  const connected = pendingSessions.get(socket);
  pendingSessions.delete(socket);
  if (!connected) return;
  socket.emit('session:started', connected.session);
  // The handshake's statement returned the row as the grid shows it: no query per connect (#4).
  announceVisitor(ctx, accountId, connected.visitor, true);
}

/** The widget's own commands (shared/events/visitors.ts). */
export const visitorCommands = commands<typeof contract.visitorCommands, VisitorActor, VisitorSocket>(contract.visitorCommands, {
  'page:view': { limit: 'visitor.pageView', run: (ctx, actor, page) => recordVisit(ctx, actor, page) },
  'invitation:dismiss': { limit: 'visitor.close', run: (ctx, actor, input) => dismissVisitorInvitation(ctx, actor, input) },
});

/** Visitor commands of the operator panel. */
export const operatorVisitorCommands = commands<typeof contract.operatorCommands, OperatorActor, OperatorSocket>(contract.operatorCommands, {
  'visitor:list': { limit: 'operator.visitorList', run: (ctx, actor) => listVisitors(ctx, actor) },
  'visitor:history': { limit: 'operator.read', run: (ctx, actor, input, socket) => visitorHistory(ctx, actor, input, (room) => socket.join(room)) },
  'visitor:unwatch': {
    limit: 'operator.read',
    run: (ctx, actor, input, socket) => visitorUnwatch(ctx, actor, input, (room) => socket.leave(room)),
  },
  'visitor:invite': { limit: 'operator.chatChange', run: (ctx, actor, input) => inviteVisitor(ctx, actor, input) },
});
