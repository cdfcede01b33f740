import { z } from 'zod';

export const uuid = z.uuid();

/** Client-generated id of a message: the idempotency key of a send (resends reuse it). */
export const clientId = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');

/** Sequence numbers start at 1 per conversation; 0 means "I have nothing yet". */
export const seq = z.number().int().min(0);

export const isoDate = z.string();
