/**
 * Canned responses (P10, #6), the panel's side: the list the composer searches, and an operator's
 * own responses managed from the panel. Admins may change the account's set here too (scope
 * `account`); anyone else is refused `forbidden`. The options page manages the account's set over
 * REST (shared/api/canned.ts). Changes reach every panel concerned at once.
 */
import { z } from 'zod';
import { returns, type CommandMap } from '../contract';
import { cannedCreatePayload, cannedRef, cannedUpdatePayload, type CannedDeleted, type CannedView } from '../schemas/canned';

export const operatorCommands = {
  /** The account's responses and the operator's own, by shortcut. */
  'canned:list': { payload: z.object({}), result: returns<CannedView[]>(), role: 'operator' },
  /** A new response, personal unless `scope: 'account'` (admins); `conflict` when its shortcut is taken in that scope. */
  'canned:create': { payload: cannedCreatePayload, result: returns<CannedView>(), role: 'operator' },
  /**
   * Changes a response: the operator's own, or (admins) one of the account's. Another operator's
   * personal response is `not_found`; the account's, for a non-admin, `forbidden`.
   */
  'canned:update': { payload: cannedUpdatePayload, result: returns<CannedView>(), role: 'operator' },
  /** Deletes a response, with the same rules as `canned:update`. */
  'canned:delete': { payload: cannedRef, result: returns<CannedDeleted>(), role: 'operator' },
} satisfies CommandMap;

export interface OperatorBroadcasts {
  /** A response was created or changed: to every operator of the account (account-wide) or to its owner's sockets. */
  'canned:saved': CannedView;
  'canned:deleted': CannedDeleted;
}
