import http from 'node:http';
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
  message_rejected: 422,
  overloaded: 503,
  origin_not_allowed: 403,
  file_too_large: 413,
  file_type_not_allowed: 415,
  chat_taken: 409,
  limit_reached: 409,
  not_your_chat: 403,
  chat_not_closed: 409,
  visitor_in_chat: 409,
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
    const client = clientError(err);
    if (client) return void res.status(client.status).json({ error: new AppError('validation_failed', client.message).toJSON() });
    let appError: AppError;
    if (err instanceof AppError) {
      appError = err;
    } else {
      log.error('Unhandled error in HTTP request', err);
      appError = new AppError('internal_error', 'Something went wrong');
    }
    // #4: tells well-behaved clients (and proxies) when to come back.
    if (appError.retryAfterMs !== undefined) res.set('Retry-After', String(Math.max(1, Math.ceil(appError.retryAfterMs / 1000))));
    res.status(STATUS[appError.code]).json({ error: appError.toJSON() });
  };
}

/** What the client gets told for the errors body-parser and the router raise about a request. */
const CLIENT_ERROR_MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'Request body is not valid JSON',
  'entity.too.large': 'Request body too large',
  'parameters.too.many': 'Too many form fields',
  'charset.unsupported': 'Unsupported charset in Content-Type',
  'encoding.unsupported': 'Unsupported Content-Encoding',
  'request.size.invalid': 'Request body shorter or longer than its Content-Length',
};

/**
 * #4: errors about the request itself (body-parser's, the router's undecodable `%E0%A4%A`
 * param, anything http-errors style with a 4xx status) are the client's fault: a 4xx with a
 * clear message, not a 500 and a stack trace in the log.
 */
function clientError(err: unknown): { status: number; message: string } | undefined {
  if (typeof err !== 'object' || err === null || err instanceof AppError) return undefined;
  const { status, statusCode, type } = err as { status?: unknown; statusCode?: unknown; type?: unknown };
  const code = typeof status === 'number' ? status : statusCode;
  if (typeof code !== 'number' || code < 400 || code > 499) return undefined;
  const known = typeof type === 'string' ? CLIENT_ERROR_MESSAGES[type] : undefined;
  if (known) return { status: code, message: known };
  if (err instanceof URIError) return { status: 400, message: 'Malformed URL: a percent-encoded part is not valid UTF-8' };
  // zlib's messages ("incorrect header check") and others say nothing useful to a client.
  return { status: code, message: `Malformed request (${http.STATUS_CODES[code] ?? code})` };
}
