/**
 * Unwrapping a Socket.IO command's ack in tests. Its own module (not server.ts) because it needs
 * nothing but the `Ack` type from shared/errors, so any test can use it without the server.
 */
import type { Ack } from '../../shared/errors';

/**
 * The data of a successful ack; a refusal fails the test with its code and message, after `what`
 * (the step that failed, e.g. `'chat:accept'`) when the test gives one.
 */
export function ok<T>(res: Ack<T>, what = 'command failed'): T {
  if (!res.ok) throw new Error(`${what}: ${res.error.code} ${res.error.message}`);
  return res.data;
}
