/**
 * The closed list of error codes a command (socket ack or REST response) can fail with.
 * Clients switch on `code`; `message` is for humans. Unknown failures become `internal_error`
 * (the details are logged on the server, never sent).
 */
export const ERROR_CODES = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'setup_required',
  'setup_done',
  'chat_closed',
  /** The message can never be stored as it is (#4): the sender must change it, not resend it. */
  'message_rejected',
  /** The server is shedding load: try again after `retryAfterMs` (handshakes, #4). */
  'overloaded',
  /** #4: a widget handshake from a website the account has not allowed (connect_error only). */
  'origin_not_allowed',
  /** #5: an upload over the account's size limit (REST 413); the partial file is not kept. */
  'file_too_large',
  /** #5: an upload whose bytes are not of a type the account accepts (REST 415). */
  'file_type_not_allowed',
  /** #6 (A1): another operator accepted the chat first (exactly one accept wins, also across nodes). */
  'chat_taken',
  /** #6 (A1): the operator already has as many chats as their limit allows. */
  'limit_reached',
  /**
   * #7 (W4): a public reply into a colleague's chat. Only the assigned operator answers the
   * visitor; others whisper (with the monitor right) or take the chat over first.
   */
  'not_your_chat',
  /** #6 (P5): the chat is not closed, so it cannot be reopened. */
  'chat_not_closed',
  /** #6 (P5): the visitor is in another chat (a visitor has one at a time), so theirs cannot be reopened now. */
  'visitor_in_chat',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Refusals of a message (`message:send`, `chat:start`) that resending the same message can never
 * turn into success (#4): clients mark it failed for good and stop resending it. Every other code
 * (`internal_error`, `rate_limited`, a lost connection) means "try again later".
 */
const PERMANENT_SEND_ERRORS: readonly string[] = ['validation_failed', 'message_rejected', 'not_found', 'chat_closed', 'forbidden', 'not_your_chat'];

/** True when a send refused with `code` must not be resent (see PERMANENT_SEND_ERRORS). */
export function isPermanentSendError(code: string): boolean {
  return PERMANENT_SEND_ERRORS.includes(code);
}

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** For `validation_failed`: which fields were wrong and why. */
  issues?: { path: string; message: string }[];
  /**
   * For `rate_limited` (#4): milliseconds until the same request may succeed again. Optional:
   * absent when the server can't tell. REST also sends it as a `Retry-After` header (seconds).
   */
  retryAfterMs?: number;
}

/**
 * What every socket command acknowledges with. REST answers the same two shapes with HTTP status
 * codes instead of `ok`: the result itself on success, `{ error: ApiError }` on failure.
 */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** An error a service throws on purpose; the edge turns it into `{ ok: false, error }`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ApiError['issues'],
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toJSON(): ApiError {
    const json: ApiError = { code: this.code, message: this.message };
    if (this.issues) json.issues = this.issues;
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    return json;
  }
}
