import { AppError } from '../../../../shared/errors';
import type { AppContext } from '../../context';
import type { OperatorSocket } from '../../realtime/io';
import { authenticate } from '../../access/sessions';

/**
 * /operator handshake: `auth: { token }` from login. A missing, revoked or expired token is
 * refused with connect_error `unauthenticated`.
 */
export function operatorHandshake(ctx: AppContext) {
  return (socket: OperatorSocket, next: (err?: Error) => void): void => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    authenticate(ctx.db, typeof token === 'string' ? token : undefined).then(
      (session) => {
        socket.data = {
          accountId: session.account.id,
          operatorId: session.operator.id,
          operatorName: session.operator.name,
          role: session.operator.role,
          sessionId: session.sessionId,
        };
        next();
      },
      (err: unknown) => {
        if (!(err instanceof AppError)) ctx.log.error('Operator handshake failed', err);
        next(new Error(err instanceof AppError ? err.code : 'internal_error'));
      },
    );
  };
}
