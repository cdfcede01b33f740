import { z } from 'zod';

export const uuid = z.uuid();

/**
 * A string as PostgreSQL can store it: NUL characters dropped and lone UTF-16 surrogates
 * replaced (U+FFFD). Either would otherwise fail the whole message batch it travels in (#3).
 */
export const text = () => z.string().overwrite((s) => s.replaceAll('\0', '').toWellFormed());

/** Client-generated id of a message: the idempotency key of a send (resends reuse it). */
export const clientId = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');

/** Sequence numbers start at 1 per conversation; 0 means "I have nothing yet". */
export const seq = z.number().int().min(0);

export const isoDate = z.string();
