/**
 * The SQLSTATE of a failed query: node-postgres and the PGlite thread both set `code`; Drizzle
 * wraps their error in a DrizzleQueryError with it as `cause`.
 */
export function sqlState(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * True when a statement failed because of the values it was given, so the same values fail the
 * same way every time (#4): SQLSTATE class 22 (data exception: a malformed uuid or JSON, a string
 * too long, a character the encoding lacks) and class 23 (integrity constraint: a key that
 * references nothing), except 23505 unique_violation, which a concurrent writer that stored the
 * same clientId first causes and a re-run clears. Whoever sent such a value gets a permanent
 * refusal and must stop resending.
 *
 * Everything else is not the input's fault and may pass later: connection loss and shutdowns
 * (08, 57P), lack of resources (53), deadlocks and serialization failures (40), errors without a
 * SQLSTATE (a dropped socket, PGlite's thread gone), and our own bugs (42: a missing function).
 * Those stay `internal_error`, which clients resend; turning them permanent would make every
 * message of a database outage undeliverable for good.
 */
export function isRefusedInput(err: unknown): boolean {
  const code = sqlState(err);
  if (!code || code === '23505') return false;
  return code.startsWith('22') || code.startsWith('23');
}
