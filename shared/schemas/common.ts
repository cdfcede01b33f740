import { z } from 'zod';

/**
 * A string as PostgreSQL can store it: NUL characters dropped and lone UTF-16 surrogates
 * replaced (U+FFFD). Either would otherwise fail the whole message batch it travels in (#3).
 */
export const wellFormed = (s: string): string => s.replaceAll('\0', '').toWellFormed();

/**
 * Every string of every payload starts here (#4: page views once skipped it, failed their
 * query and logged it whole). tests/unit/server/schemaStrings.test.ts checks every exported
 * schema; a format (URL, email) is checked after the cleaning: `text().pipe(z.url())`. Fields
 * people fill in pass their own message for a missing value: `text('Enter your name')`.
 */
export const text = (error?: string) => z.string(error === undefined ? undefined : { error }).overwrite(wellFormed);

/**
 * #5: a message a person reads when a field is too long — what to do, never zod's "Too big:
 * expected string to have <=120 characters". Every field people fill in says what to do the same way.
 */
export const atMost = (max: number) => `At most ${max} characters`;

export const uuid = text().pipe(z.uuid());

/** Client-generated id of a message: the idempotency key of a send (resends reuse it). */
export const clientId = text()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');

/** Sequence numbers start at 1 per conversation; 0 means "I have nothing yet". */
export const seq = z.number().int().min(0);
