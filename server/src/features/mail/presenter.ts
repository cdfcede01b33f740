import type { OutboxMailView } from '../../../../shared/schemas/mail';
import type { OutboxRow } from './repo';

export function toOutboxMailView(row: OutboxRow): OutboxMailView {
  return {
    id: row.id,
    from: row.fromAddress,
    to: row.toAddresses,
    subject: row.subject,
    text: row.text,
    html: row.html,
    createdAt: row.createdAt.toISOString(),
  };
}
