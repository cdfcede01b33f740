/** Accounts (A2): first-run setup, the account's settings (the websites the widget may run on, #4). */
import { Router } from 'express';
import { htmlPageHeaders } from '../../http/headers';
import { defineFeature } from '../feature';
import { accountRoutes } from './routes';
import { setupPageRoutes } from './setup';

export const accounts = defineFeature({
  name: 'accounts',
  routes: (ctx) => Router().use(accountRoutes(ctx)).use('/setup', htmlPageHeaders, setupPageRoutes(ctx)),
});
