/**
 * Canned responses (P10, #6): a text an operator inserts by its shortcut (`/price`) or picks from
 * the composer's list. Account-wide ones are the whole team's and only admins change them;
 * personal ones belong to one operator, and nobody else sees them. A shortcut is unique within its
 * scope (the account's set, or one operator's own); an operator's own wins over the account's.
 */
import { z } from 'zod';
import { CANNED_SHORTCUT_PATTERN, MAX_CANNED_BODY_LENGTH, MAX_CANNED_SHORTCUT_LENGTH, MAX_CANNED_TITLE_LENGTH } from '../canned';
import { atMost, text, uuid } from './common';

export const CANNED_SCOPES = ['personal', 'account'] as const;
export type CannedScope = (typeof CANNED_SCOPES)[number];

/** What is typed after `/`: letters, digits, - and _; stored lower-cased (`/Price` is `/price`). */
export const cannedShortcut = text('Enter a shortcut')
  .trim()
  .transform((s) => s.replace(/^\//, '').toLowerCase())
  .pipe(
    z
      .string()
      .min(1, 'Enter a shortcut')
      .max(MAX_CANNED_SHORTCUT_LENGTH, atMost(MAX_CANNED_SHORTCUT_LENGTH))
      .regex(CANNED_SHORTCUT_PATTERN, 'Letters, digits, - and _ only (no spaces)'),
  );
const cannedTitle = text('Enter a title').trim().min(1, 'Enter a title').max(MAX_CANNED_TITLE_LENGTH, atMost(MAX_CANNED_TITLE_LENGTH));
// Line breaks inside are the operator's; only the ends are trimmed.
const cannedBody = text('Enter the text').trim().min(1, 'Enter the text').max(MAX_CANNED_BODY_LENGTH, atMost(MAX_CANNED_BODY_LENGTH));

/** POST /api/canned (admins: always account-wide) and `canned:create` (the panel: personal unless an admin says `account`). */
const cannedFields = z.object({ shortcut: cannedShortcut, title: cannedTitle, body: cannedBody });
export const cannedCreateBody = cannedFields;
export type CannedCreateBody = z.infer<typeof cannedCreateBody>;

export const cannedCreatePayload = cannedFields.extend({
  /** Default `personal`; `account` is for admins (`forbidden` for anyone else). */
  scope: z.enum(CANNED_SCOPES).optional(),
});
export type CannedCreatePayload = z.infer<typeof cannedCreatePayload>;

/**
 * PATCH /api/canned/:cannedId and `canned:update`: every field optional. An empty patch changes
 * nothing and answers the response as it is (so a foreign id is `not_found`, never a validation error).
 */
export const cannedPatch = z.object({ shortcut: cannedShortcut.optional(), title: cannedTitle.optional(), body: cannedBody.optional() });
export type CannedPatch = z.infer<typeof cannedPatch>;

export const cannedRef = z.object({ cannedId: uuid });

export const cannedUpdatePayload = cannedPatch.extend({ cannedId: uuid });

/** A canned response as its readers get it: personal ones only ever reach their owner. */
export interface CannedView {
  id: string;
  scope: CannedScope;
  /** Without the slash, lower-case. */
  shortcut: string;
  title: string;
  /** Plain text with placeholders (`{visitor.name}`…), filled in when inserted. */
  body: string;
  updatedAt: string;
}

/** `canned:deleted`: which response is gone. */
export interface CannedDeleted {
  id: string;
  scope: CannedScope;
}
