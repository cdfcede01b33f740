/**
 * Mail (#5): every mail goes through the durable `mail.send` job (`sendMail`, server/src/mail/send.ts), to
 * SMTP_URL or, without one, into the account's outbox, which admins read.
 */
import { defineFeature } from '../feature';
import { mailSendJob } from '../../mail/job';
import { mailRoutes } from './routes';

export const mail = defineFeature({
  name: 'mail',
  routes: mailRoutes,
  jobs: [mailSendJob],
});
