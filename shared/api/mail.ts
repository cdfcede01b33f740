/** Mail (#5): the outbox kept while no SMTP server is configured, and a test mail to check the settings. */
import { returns, type RouteMap } from '../contract';
import { outboxQuery, type OutboxPage, type TestMailQueued } from '../schemas/mail';

export const mailRoutes = {
  /** The account's kept mail, newest first; `before` = the previous page's `nextCursor`. */
  outbox: { method: 'GET', path: '/api/mail/outbox', role: 'admin', query: outboxQuery, result: returns<OutboxPage>() },
  /** Queues a test mail to the signed-in admin's own address (202). */
  sendTest: { method: 'POST', path: '/api/mail/test', role: 'admin', result: returns<TestMailQueued>() },
} satisfies RouteMap;
