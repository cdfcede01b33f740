import type { z } from 'zod';
import { AppError, type Ack } from '../../../shared/errors';
import type { Logger } from '../log';
import { validate } from '../validate';

/** `withAck(schema, handler)`, bound to the app's logger by {@link makeWithAck}. */
export type WithAck = <S extends z.ZodType, R>(
  schema: S,
  handler: (input: z.output<S>) => Promise<R>,
) => (payload: z.input<S>, ack: (res: Ack<R>) => void) => void;

/**
 * Returns `withAck(schema, handler)`, which builds a socket command listener: validates the payload with `schema`, runs `handler`, and
 * acknowledges `{ ok: true, data }` or `{ ok: false, error }`. Invalid payloads get
 * `validation_failed` with the issues and never reach the handler; AppErrors keep their code;
 * anything else is logged and answered as `internal_error`. A client that sends no ack callback
 * still gets the command executed, and nothing crashes.
 */
export function makeWithAck(log: Logger): WithAck {
  return (schema, handler) => (payload: unknown, ack: unknown) => {
    // `socket.emit('chat:list', cb)` puts the callback first; answer it rather than leave it hanging.
    if (typeof payload === 'function' && ack === undefined) {
      ack = payload;
      payload = undefined;
    }
    const reply = typeof ack === 'function' ? (ack as (res: Ack<unknown>) => void) : () => {};
    Promise.resolve()
      .then(() => handler(validate(schema, payload)))
      .then(
        (data) => reply({ ok: true, data }),
        (err: unknown) => {
          if (err instanceof AppError) return reply({ ok: false, error: err.toJSON() });
          log.error('Unhandled error in socket command', err);
          reply({ ok: false, error: { code: 'internal_error', message: 'Something went wrong' } });
        },
      );
  };
}
