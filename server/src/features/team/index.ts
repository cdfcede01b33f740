/**
 * The team (A5, #5): admins list operators (who is online), invite by email, change roles,
 * disable and enable, and send password-reset links; invitees and operators who forgot their
 * password follow the mailed link to a page of this server (pageRoutes.ts).
 */
import { Router } from 'express';
import { defineFeature } from '../feature';
import './events';
import { passwordResetRequestJob } from './job';
import { teamPageRoutes } from './pageRoutes';
import { teamRoutes } from './routes';

export const team = defineFeature({
  name: 'team',
  routes: (ctx) => Router().use(teamRoutes(ctx)).use(teamPageRoutes(ctx)),
  jobs: [passwordResetRequestJob],
});
