/**
 * Messages with their files (#5, P7): a message stores only its file's id; every view of it
 * (ack, message:sent, chat:get, chat:sync, session:started) carries the file's view with a freshly
 * signed URL, so whoever reads a chat later still gets a working link.
 */
import type { MessageView } from '../../../../shared/schemas/chats';
import type { Audience } from '../../access/actor';
import type { AppContext } from '../../context';
import type { files } from '../../db/schema/index';
import { presentFile } from '../files/presenter';
import { findFilesOfAccount } from '../files/service';
import { presentMessage } from './presenter';
import type { MessageRow } from './repo';

/**
 * A page of the account's messages as `audience` reads them, presented with their files: one
 * query more, and only when a message of it has a file.
 */
export async function presentMessages(
  ctx: Pick<AppContext, 'db' | 'fileUrls'>,
  accountId: string,
  rows: readonly MessageRow[],
  audience: Audience,
): Promise<MessageView[]> {
  const ids = rows.flatMap((m) => (m.fileId ? [m.fileId] : []));
  if (ids.length === 0) return rows.map((m) => presentMessage(m, audience));
  const files = await findFilesOfAccount(ctx.db, accountId, ids);
  return rows.map((m) => {
    const file = m.fileId ? files.get(m.fileId) : undefined;
    return presentMessage(m, audience, file && presentFile(file, ctx.fileUrls));
  });
}

/** One stored message with its file; `known`: the file's row when the caller has it already (a send checks it first). */
export async function presentMessageWithFile(
  ctx: Pick<AppContext, 'db' | 'fileUrls'>,
  row: MessageRow,
  audience: Audience,
  known?: typeof files.$inferSelect | null,
): Promise<MessageView> {
  if (row.fileId && known?.id === row.fileId) return presentMessage(row, audience, presentFile(known, ctx.fileUrls));
  const [view] = await presentMessages(ctx, row.accountId, [row], audience);
  return view!;
}
