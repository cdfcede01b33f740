/**
 * Canned responses (P10, #6): account-wide ones managed by admins on the options page (REST),
 * personal ones by each operator in the panel (socket), all searched from the composer by `/`.
 */
import { defineFeature } from '../feature';
import { operatorCannedCommands } from './handlers';
import { cannedRoutes } from './routes';

export const canned = defineFeature({
  name: 'canned',
  routes: cannedRoutes,
  operatorCommands: operatorCannedCommands,
});
