import type { z } from 'zod';
import type { OutboxPage, outboxQuery, TestMailQueued } from '../../../../shared/schemas/mail';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import type { OperatorSession } from '../../access/sessions';
import { sendMail } from '../../mail/send';
import { toOutboxMailView } from './presenter';
import { listOutboxMail } from './repo';
import { mailBody } from '../../mail/template';

/** The account's outbox, newest first, `limit` at a time; `before`: the id of the previous page's last mail. */
export async function outboxPage(db: Db, accountId: string, query: z.output<typeof outboxQuery>): Promise<OutboxPage> {
  // One more than asked tells whether there is a next page.
  const rows = await listOutboxMail(db, accountId, { limit: query.limit + 1, beforeId: query.before });
  const items = rows.slice(0, query.limit).map(toOutboxMailView);
  return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
}

/** Queues a test mail to the signed-in operator's own address: how an admin checks SMTP_URL. */
export async function sendTestMail(ctx: Pick<AppContext, 'jobs'>, session: OperatorSession): Promise<TestMailQueued> {
  const to = session.operator.email;
  const body = mailBody`Hello ${session.operator.name},

this is a test email from Sidedesk for ${session.account.name}. If you are reading it, mail from Sidedesk reaches you.`;
  const { id } = await sendMail(ctx, { accountId: session.account.id, to, subject: 'Sidedesk test email ✓', ...body });
  return { jobId: id, to };
}
