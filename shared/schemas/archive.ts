import { z } from 'zod';
import { MAX_EMAIL_LENGTH } from '../protocol/limits';
import { text, uuid } from './common';
import type { RatingScore } from './ratings';

/** Results in one page of `archive:search`; the next page continues after the last (keyset). */
export const ARCHIVE_PAGE_SIZE = 20;
/** Longest free text the archive searches (words, "a phrase", -without, or). */
export const MAX_ARCHIVE_QUERY_LENGTH = 200;

/** The rating filter: thumbs up, thumbs down, or chats nobody rated. */
export const ARCHIVE_RATINGS = ['good', 'bad', 'none'] as const;
export type ArchiveRatingFilter = (typeof ARCHIVE_RATINGS)[number];

const instant = text().pipe(z.iso.datetime({ offset: true }));

/**
 * Where the next page starts: the last result's closing moment (microseconds since 1970, as the
 * database keeps it; a Date would lose them and skip or repeat a chat) and its id.
 */
export const archiveCursor = z.object({ closedAtMicros: text().regex(/^\d{1,18}$/), id: uuid });
export type ArchiveCursor = z.infer<typeof archiveCursor>;

/**
 * `archive:search` (P9, #6): the account's closed chats, newest first, every filter optional and
 * all of them applied together.
 */
export const archiveSearchPayload = z
  .object({
    /** Words of the chat (its messages, the visitor's name and email), as a search box takes them: `refund "next week" -shipping`. */
    text: text().trim().max(MAX_ARCHIVE_QUERY_LENGTH).optional(),
    /** The start of the visitor's name or email address, any case. */
    visitor: text().trim().max(MAX_EMAIL_LENGTH).optional(),
    /** One visitor's chats (their earlier chats beside a new one)… */
    visitorId: uuid.optional(),
    /** …and, with it or alone, the chats left with this email address. */
    visitorEmail: text().trim().max(MAX_EMAIL_LENGTH).pipe(z.email()).optional(),
    operatorId: uuid.optional(),
    departmentId: uuid.optional(),
    rating: z.enum(ARCHIVE_RATINGS).optional(),
    /** Closed at or after this moment. */
    closedFrom: instant.optional(),
    /** Closed before this moment. */
    closedBefore: instant.optional(),
    cursor: archiveCursor.optional(),
  })
  .refine((p) => !p.closedFrom || !p.closedBefore || Date.parse(p.closedFrom) <= Date.parse(p.closedBefore), {
    path: ['closedBefore'],
    message: 'The end of the date range can’t come before its start',
  });
export type ArchiveSearchPayload = z.infer<typeof archiveSearchPayload>;

/** One closed chat in the archive, as operators see it (internal messages count and may be the snippet). */
export interface ArchiveChatView {
  conversationId: string;
  visitorId: string;
  visitorName: string;
  /** Lower-cased. */
  visitorEmail: string;
  operatorId: string | null;
  /** The operator's name when the chat ended. */
  operatorName: string | null;
  departmentId: string | null;
  departmentName: string | null;
  closedAt: string;
  rating: RatingScore | null;
  /** Visitor and operator messages (internal notes included, system lines not). */
  messageCount: number;
  /**
   * A line of the chat, plain text (never render it as HTML): with `text`, the first message with
   * the words searched (highlight them on the client); otherwise the visitor's first message.
   */
  snippet: { text: string; internal: boolean };
}

export interface ArchiveSearchResult {
  items: ArchiveChatView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  next: ArchiveCursor | null;
}
