/**
 * The REST contract of every feature (#5): one line per feature. The server mounts its handlers
 * from these maps (`server/src/http/rest.ts`); the extension calls them through one typed client
 * (`shared/api/client.ts`), never by hand-written paths.
 */
import { accountRoutes } from './accounts';
import { authRoutes } from './auth';
import { cannedRoutes } from './canned';
import { fileRoutes } from './files';
import { mailRoutes } from './mail';
import { routingRoutes } from './routing';
import { teamRoutes } from './team';
import { visitorRoutes } from './visitors';

export const api = {
  auth: authRoutes,
  accounts: accountRoutes,
  visitors: visitorRoutes,
  mail: mailRoutes,
  files: fileRoutes,
  team: teamRoutes,
  canned: cannedRoutes,
  routing: routingRoutes,
};
