import { searchTerms } from '../../../../shared/archive';
import { AppError } from '../../../../shared/errors';
import { ARCHIVE_PAGE_SIZE, type ArchiveSearchPayload, type ArchiveSearchResult } from '../../../../shared/schemas/archive';
import type { OperatorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { presentArchiveChat } from './presenter';
import { accountHas, firstMatchingMessages, searchArchive } from './repo';

/**
 * `archive:search` (P9, #6): a page of the account's closed chats. Any operator may search their
 * account's archive, not only their own chats: that is how a help desk answers a returning
 * customer. Internal notes are searched and may be a snippet: operators read them anyway.
 */
export async function searchChats(ctx: AppContext, actor: OperatorActor, input: ArchiveSearchPayload): Promise<ArchiveSearchResult> {
  return search(ctx.db, actor.accountId, input);
}

/** The search itself, for a database and an account (the benchmark measures exactly this). */
export async function search(db: Db, accountId: string, input: ArchiveSearchPayload): Promise<ArchiveSearchResult> {
  const named = [
    ['operator', input.operatorId],
    ['department', input.departmentId],
    ['visitor', input.visitorId],
  ] as const;
  for (const [what, id] of named) {
    if (id && !(await accountHas(db, accountId, what, id))) throw new AppError('not_found', `No such ${what}.`);
  }
  // A query of only `-words` or punctuation finds nothing in PostgreSQL: drop it, as if it were blank.
  const text = input.text && searchTerms(input.text).length ? input.text : undefined;
  const rows = await searchArchive(db, accountId, {
    text,
    visitorPrefix: input.visitor?.toLowerCase() || undefined,
    visitorId: input.visitorId,
    visitorEmail: input.visitorEmail,
    operatorId: input.operatorId,
    departmentId: input.departmentId,
    rating: input.rating,
    closedFrom: input.closedFrom ? new Date(input.closedFrom) : undefined,
    closedBefore: input.closedBefore ? new Date(input.closedBefore) : undefined,
    cursor: input.cursor,
    limit: ARCHIVE_PAGE_SIZE + 1,
  });
  const page = rows.slice(0, ARCHIVE_PAGE_SIZE);
  const terms = text ? searchTerms(text) : [];
  const matches = text
    ? await firstMatchingMessages(
        db,
        accountId,
        page.map((r) => r.conversationId),
        text,
      )
    : new Map<string, { body: string; internal: boolean }>();
  const last = page[page.length - 1];
  return {
    items: page.map((r) => presentArchiveChat(r, terms, matches.get(r.conversationId))),
    next: rows.length > ARCHIVE_PAGE_SIZE && last ? { closedAtMicros: last.closedAtMicros, id: last.conversationId } : null,
  };
}
