import type { AppContext } from '../../context';
import { addressKey } from '../../limits/address';
import type { VisitorSocket } from '../../realtime/io';
import { refusal } from '../../realtime/overload';
import { clientIp } from './geo';

/**
 * #4: the first step of the /visitor handshake, before any database work. Refuses a connection
 * beyond the per-address limits (limits/connections.ts) with an Error for `next()`: connect_error
 * `rate_limited`, `data.retryAfterMs` saying when to try again. Null: admitted; the connection
 * then counts against its address until it closes, however the rest of the handshake goes.
 */
export async function admitVisitorConnection(ctx: AppContext, socket: VisitorSocket, returning: string | null): Promise<Error | null> {
  const { handshake } = socket;
  const address = addressKey(clientIp(handshake.address, handshake.headers['x-forwarded-for'], ctx.config.trustProxy));
  // Without a genuine token (`returning`: the visitor it names) this handshake makes a new
  // visitor (a row in every grid). An unknown account counts too: it still costs a query before
  // it is refused.
  const admission = await ctx.limits.visitorConnections.admit(address, returning);
  if (!admission.ok) {
    return refusal('rate_limited', { retryAfterMs: admission.retryAfterMs, message: 'Too many connections from your network; slow down and try again later.' });
  }
  // The engine.io connection closing ends this socket in every case: refused later in the
  // handshake (Socket.IO emits nothing then), disconnected, or the network gone.
  socket.conn.once('close', admission.release);
  socket.once('disconnect', admission.release);
  if (socket.conn.readyState !== 'open') admission.release(); // closed while we counted
  return null;
}
