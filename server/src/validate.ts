import type { z } from 'zod';
import { AppError, type ApiError } from '../../shared/errors';

/** zod issues → the wire form `{ path: 'a.b', message }`. */
function toIssues(error: z.ZodError): NonNullable<ApiError['issues']> {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/**
 * Parses untrusted input with `schema`; on failure throws AppError('validation_failed') listing
 * the issues. Used at every edge (REST bodies, socket payloads) so bad input changes nothing.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = toIssues(result.error);
  const first = issues[0];
  const message = first ? `Invalid input: ${first.path ? `${first.path}: ` : ''}${first.message}` : 'Invalid input';
  throw new AppError('validation_failed', message, issues);
}
