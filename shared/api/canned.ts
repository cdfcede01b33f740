/**
 * Canned responses (REST, P10 #6): the account's set, managed by admins on the options page.
 * Only account-wide responses are reached here; operators' personal ones are theirs alone and
 * never listed or changed by these routes (`not_found`).
 */
import { z } from 'zod';
import { returns, type RouteMap } from '../contract';
import { uuid } from '../schemas/common';
import { cannedCreateBody, cannedPatch, type CannedView } from '../schemas/canned';

const cannedParams = z.object({ cannedId: uuid });

export const cannedRoutes = {
  /** The account's responses, by shortcut. */
  list: { method: 'GET', path: '/api/canned', role: 'admin', result: returns<CannedView[]>() },
  /** A new account-wide response (201); `conflict` when the account already has its shortcut. */
  create: { method: 'POST', path: '/api/canned', role: 'admin', body: cannedCreateBody, result: returns<CannedView>() },
  /** Changes one; an empty patch answers it unchanged. */
  update: { method: 'PATCH', path: '/api/canned/:cannedId', role: 'admin', params: cannedParams, body: cannedPatch, result: returns<CannedView>() },
  remove: { method: 'DELETE', path: '/api/canned/:cannedId', role: 'admin', params: cannedParams, result: returns<null>() },
} satisfies RouteMap;
