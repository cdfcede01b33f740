/**
 * The single-use links of the team feature (A5, #5): invitations and password resets. A link
 * carries a fresh 256-bit token; the database holds only its SHA-256, like a session's.
 */
import { randomBytes } from 'node:crypto';
import { hashToken } from '../../access/sessions';

export { hashToken };

/** A new link token (43 characters, base64url). */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What a token in a URL may look like; anything else is not worth a query. */
export const LINK_TOKEN = /^[A-Za-z0-9_-]{32,64}$/;

/** Why a link can't be used. `unknown` covers a wrong, withdrawn or replaced token: it tells nothing about any account. */
export type LinkProblem = 'unknown' | 'used' | 'expired';

/** Judges a link's row (`expired`: by the database's clock): the problem with it, or null if it can be used now. */
export function linkProblem(row: { usedAt: Date | null }, expired: boolean): LinkProblem | null {
  if (row.usedAt) return 'used';
  if (expired) return 'expired';
  return null;
}
