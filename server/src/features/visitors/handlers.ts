import { z } from 'zod';
import type { VisitorSession } from '../../../../shared/events';
import { pageViewPayload } from '../../../../shared/schemas/visitors';
import type { AppContext } from '../../context';
import type { OperatorSocket, VisitorSocket } from '../../realtime/io';
import { rooms } from '../../realtime/rooms';
import { findAccount } from '../accounts/repo';
import { registerVisitorChatHandlers } from '../chats/handlers';
import { admitVisitorConnection } from './admission';
import { clientIp, lookupGeo, parseUserAgent } from './geo';
import { buildVisitorSession, listVisitors, publishVisitor, recordVisit, resolveVisitor, visitorDisconnected } from './service';

const visitorAuth = z.object({ accountId: z.uuid(), visitorToken: z.string().max(200).optional() });

// Built during the handshake, sent once the socket is connected.
const pendingSessions = new WeakMap<VisitorSocket, VisitorSession>();

/**
 * /visitor handshake: `auth: { accountId, visitorToken? }`. An unknown account is refused with
 * connect_error `not_found`; a missing or bad token gets a brand-new visitor. All database work
 * happens here, so the connection handler can register listeners before any event arrives.
 */
export function visitorHandshake(ctx: AppContext) {
  return (socket: VisitorSocket, next: (err?: Error) => void): void => {
    void (async () => {
      const refused = await admitVisitorConnection(ctx, socket);
      if (refused) return next(refused);
      const auth = visitorAuth.safeParse(socket.handshake.auth);
      const account = auth.success ? await findAccount(ctx.db, auth.data.accountId) : null;
      if (!auth.success || !account) return next(new Error('not_found'));

      const { headers } = socket.handshake;
      const ip = clientIp(socket.handshake.address, headers['x-forwarded-for'], ctx.config.trustProxy);
      const userAgent = headers['user-agent']?.slice(0, 512) ?? null;
      const visitor = await resolveVisitor(ctx, account.id, auth.data.visitorToken, {
        ip,
        ...lookupGeo(ip),
        userAgent,
        ...parseUserAgent(userAgent ?? undefined),
      });
      socket.data = { accountId: account.id, visitorId: visitor.id };
      pendingSessions.set(socket, await buildVisitorSession(ctx, account, visitor.id));
      next();
    })().catch((err: unknown) => {
      ctx.log.error('Visitor handshake failed', err);
      next(new Error('internal_error'));
    });
  };
}

/** A connected widget: its rooms, its commands, `session:ready`, and going offline on the last tab. */
export function onVisitorConnection(ctx: AppContext, socket: VisitorSocket): void {
  const { accountId, visitorId } = socket.data;
  // #3: memory per idle visitor. The handshake has been read (IP, user agent: visitorHandshake);
  // the HTTP request object engine.io keeps for the connection's lifetime (with its headers and
  // parser state) is not needed any more. Socket.IO tolerates a null request.
  (socket.conn as unknown as { request: unknown }).request = null;
  socket.handshake.headers = {};
  void socket.join([rooms.visitor(visitorId), rooms.accountVisitors(accountId)]);

  socket.on('page:view', ctx.withAck(socket)(pageViewPayload, (page) => recordVisit(ctx, accountId, visitorId, page), { limit: 'visitor.pageView' }));
  registerVisitorChatHandlers(ctx, socket);
  socket.on('disconnect', () => ctx.background('visitor offline', () => visitorDisconnected(ctx, accountId, visitorId)));

  const session = pendingSessions.get(socket);
  pendingSessions.delete(socket);
  if (session) socket.emit('session:ready', session);
  publishVisitor(ctx, accountId, visitorId, true);
}

/** Visitor commands of the operator panel. */
export function registerOperatorVisitorHandlers(ctx: AppContext, socket: OperatorSocket): void {
  socket.on('visitor:list', ctx.withAck(socket)(z.object({}), () => listVisitors(ctx, socket.data.accountId), { limit: 'operator.visitorList' }));
}
