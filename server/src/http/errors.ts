import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, type ErrorCode } from '../../../shared/errors';
import type { Logger } from '../log';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  setup_required: 409,
  setup_done: 409,
  chat_closed: 409,
  internal_error: 500,
};

/**
 * Wraps an async route: a returned value is sent as the JSON body (`null` → 204 No Content;
 * `undefined` → the handler answered or called next itself), a rejection reaches the error
 * middleware.
 */
export function route<T>(handler: (...args: Parameters<RequestHandler>) => Promise<T>): RequestHandler {
  return (req, res, next) => {
    handler(req, res, next).then((data) => {
      if (res.headersSent || data === undefined) return;
      if (data === null) res.status(204).end();
      else res.json(data);
    }, next);
  };
}

/** Unknown /api paths answer JSON, not Express's HTML. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route ${req.method} ${req.path}`));
};

/**
 * Last middleware: every error becomes `{ error: ApiError }` with a fitting status.
 * Unexpected errors are logged and answered as `internal_error` without details.
 */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    let appError: AppError;
    if (err instanceof AppError) {
      appError = err;
    } else if (isBodyParserError(err)) {
      appError =
        err.type === 'entity.too.large'
          ? new AppError('validation_failed', 'Request body too large')
          : new AppError('validation_failed', 'Request body is not valid JSON');
    } else {
      log.error('Unhandled error in HTTP request', err);
      appError = new AppError('internal_error', 'Something went wrong');
    }
    // #4: tells well-behaved clients (and proxies) when to come back.
    if (appError.retryAfterMs !== undefined) res.set('Retry-After', String(Math.max(1, Math.ceil(appError.retryAfterMs / 1000))));
    res.status(isBodyParserError(err) ? err.status : STATUS[appError.code]).json({ error: appError.toJSON() });
  };
}

function isBodyParserError(err: unknown): err is { type: string; status: number } {
  return typeof err === 'object' && err !== null && 'type' in err && typeof (err as { status?: unknown }).status === 'number';
}
