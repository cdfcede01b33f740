/** Availability (P11, #6): the operator's own status and activity, and "View operators". */
import { z } from 'zod';
import { returns, type CommandMap } from '../contract';
import { statusSetPayload, type OperatorAvailabilityView } from '../schemas/routing';

export const operatorCommands = {
  /** Online, away or offline (kept across sign-ins); answers the operator as others now see them. */
  'status:set': { payload: statusSetPayload, result: returns<OperatorAvailabilityView>(), role: 'operator' },
  /** Input or focus in the panel (sent at most every half minute): auto-away counts from the last one, and it ends an auto-away. */
  'activity:report': { payload: z.object({}), result: returns<null>(), role: 'operator' },
  /** "View operators": everyone of the account with status and load (then `operator:updated`). */
  'operator:list': { payload: z.object({}), result: returns<OperatorAvailabilityView[]>(), role: 'operator' },
} satisfies CommandMap;

export interface OperatorBroadcasts {
  /** An operator's status, load, limit or departments changed (to the whole account). */
  'operator:updated': OperatorAvailabilityView;
}
