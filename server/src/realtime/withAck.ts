import type { z } from 'zod';
import { AppError, type Ack } from '../../../shared/errors';
import type { CommandLimitName, CommandLimits, LimitedSocket } from '../limits/commands';
import type { Logger } from '../log';
import { validate } from '../validate';

/** What every command declares besides its schema and handler. */
export interface CommandOptions {
  /** Its class of rate limit (limits/commands.ts), counted per socket and per visitor/operator (#4). */
  limit: CommandLimitName;
  /** The contract's role check (#5): throws `forbidden`; runs after the limit, before validation. */
  authorize?: () => void;
}

/** `withAck(schema, handler, { limit })` for one socket, from `ctx.withAck(socket)`. */
export type WithAck = <S extends z.ZodType, R>(
  schema: S,
  handler: (input: z.output<S>) => Promise<R>,
  options: CommandOptions,
) => (payload: z.input<S>, ack: (res: Ack<R>) => void) => void;

/** `ctx.withAck(socket)`: the command builder of one socket. */
export type WithAckFor = (socket: LimitedSocket) => WithAck;

/** Set on every listener `withAck` builds: tests check that no command goes unlimited. */
export const COMMAND_LIMIT = Symbol('commandLimit');

/**
 * Returns `withAck` for a socket, which builds a command listener: counts the command against
 * its rate limit, validates the payload with `schema`, runs `handler`, and acknowledges
 * `{ ok: true, data }` or `{ ok: false, error }`. Over the limit → `rate_limited` (with
 * `retryAfterMs`) before anything else runs, invalid payloads included. Invalid payloads get
 * `validation_failed` with the issues and never reach the handler; AppErrors keep their code;
 * anything else is logged and answered as `internal_error`. A client that sends no ack callback
 * still gets the command executed, and nothing crashes.
 */
export function makeWithAck(log: Logger, limits: CommandLimits): WithAckFor {
  return (socket) => (schema, handler, options) => {
    const listener = (payload: unknown, ack: unknown) => {
      // `socket.emit('chat:list', cb)` puts the callback first; answer it rather than leave it hanging.
      if (typeof payload === 'function' && ack === undefined) {
        ack = payload;
        payload = undefined;
      }
      const reply = typeof ack === 'function' ? (ack as (res: Ack<unknown>) => void) : () => {};
      limits
        .consume(options.limit, socket)
        .then(() => {
          options.authorize?.();
          return handler(validate(schema, payload));
        })
        .then(
          (data) => reply({ ok: true, data }),
          (err: unknown) => {
            if (err instanceof AppError) return reply({ ok: false, error: err.toJSON() });
            log.error('Unhandled error in socket command', err);
            reply({ ok: false, error: { code: 'internal_error', message: 'Something went wrong' } });
          },
        );
    };
    return Object.assign(listener, { [COMMAND_LIMIT]: options.limit });
  };
}
