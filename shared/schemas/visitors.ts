import { z } from 'zod';
import { MAX_MESSAGE_LENGTH } from '../protocol/limits';
import { urlPatternProblem } from '../urlPattern';
import { atMost, clientId, text, uuid } from './common';

/** Sent by the widget on every page it is loaded on, and on in-page (SPA) navigation. */
export const pageViewPayload = z.object({
  url: text().pipe(z.url().max(2048)),
  title: text().max(500).default(''),
  referrer: text().max(2048).default(''),
  language: text().max(35).default(''),
  screen: z.object({ width: z.number().int().min(0).max(100000), height: z.number().int().min(0).max(100000) }).optional(),
  timezone: text().max(64).optional(),
});
export type PageViewPayload = z.input<typeof pageViewPayload>;

/**
 * Colour state of a visitor in the operator's grid and of a chat in the list (P3).
 * (An invitation waiting for an answer is `invited` on the view: blue, P4.)
 * gray: browsing · red: chat waiting to be accepted · yellow: visitor waits for the operator ·
 * green: operator waits for the visitor · blue: chatted before (or invited) · idle: no input from
 * the visitor for the account's idle time (the panel derives it on its clock: shared/visitorState.ts).
 */
export const VISITOR_STATES = ['browsing', 'waiting', 'needs_reply', 'replied', 'chatted', 'idle'] as const;
export type VisitorState = (typeof VISITOR_STATES)[number];

/** One row of the live visitors grid (P2). */
export interface VisitorView {
  id: string;
  online: boolean;
  state: VisitorState;
  name: string | null;
  email: string | null;
  currentUrl: string | null;
  pageTitle: string | null;
  referrer: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  language: string | null;
  ip: string | null;
  browser: string | null;
  platform: string | null;
  screen: string | null;
  /** Start of the current visit: "time on site" is now minus this. */
  visitStartedAt: string;
  lastSeenAt: string;
  pagesViewed: number;
  /** The open (waiting or active) conversation, if any. */
  conversationId: string | null;
  /** P3/P4: an invitation to chat is waiting for the visitor's answer (this visit): the row shows blue. */
  invited: boolean;
  /** P4: what became of this visit's latest invitation (null: none this visit). */
  invitation: InvitationState | null;
}

/** #4: an admin forgot this visitor: the row, their conversations and page views are gone. */
export interface VisitorRemovalView {
  visitorId: string;
  /** Their conversations, deleted with them: lists drop them and chat windows close. */
  conversationIds: string[];
}

/**
 * One `visitors:updated` frame (#4): what changed in an account's grid since the last frame,
 * one entry per visitor (the latest state). `visitors`: rows to show or update, a row with
 * `online: false` leaves the grid; `removed`: visitors an admin forgot.
 */
export interface VisitorsChangedView {
  visitors: VisitorView[];
  removed: VisitorRemovalView[];
}

/** P4: an invitation waits for the visitor's answer, was accepted (a chat started), dismissed, or replaced by a newer one. */
export const INVITATION_STATES = ['pending', 'accepted', 'dismissed', 'replaced'] as const;
export type InvitationState = (typeof INVITATION_STATES)[number];

/** P6: the most pages kept per visitor (older ones are pruned as new ones are stored). */
export const PAGE_HISTORY_LIMIT = 100;

/** P6: one page of a visitor's navigation history. */
export interface PageVisitView {
  id: number;
  url: string;
  title: string;
  /** When they arrived on it. */
  at: string;
  /** When they went on or left; null while they are on it (or when it is not known). */
  leftAt: string | null;
}

const message = text('Write a message').trim().min(1, 'Write a message').max(MAX_MESSAGE_LENGTH, atMost(MAX_MESSAGE_LENGTH));

export const visitorRef = z.object({ visitorId: uuid });

/** P4: an operator invites a browsing visitor with a message (shown in the widget as theirs). */
export const visitorInvitePayload = z.object({ visitorId: uuid, message });
export type VisitorInvitePayload = z.infer<typeof visitorInvitePayload>;

/** P4: the visitor's answer to an invitation. */
export const invitationRef = z.object({ invitationId: uuid });
/** Accepting starts a chat: `clientId` makes a repeated accept return the same chat. */
export const invitationAcceptPayload = z.object({ invitationId: uuid, clientId });
export type InvitationAcceptPayload = z.infer<typeof invitationAcceptPayload>;

/** What the widget shows of an invitation (`invitation:received`). */
export interface VisitorInvitationView {
  id: string;
  /** The operator's name, or the account's for an automatic invitation. */
  senderName: string;
  message: string;
  createdAt: string;
}

/** P4: the fields of an automatic invitation rule as admins edit them. Every condition given must hold. */
const ruleFields = {
  name: text('Give the rule a name').trim().min(1, 'Give the rule a name').max(120, atMost(120)),
  enabled: z.boolean(),
  message,
  secondsOnPage: z.number({ error: 'Seconds on the page: a whole number' }).int('Seconds on the page: a whole number').min(0).max(3600, 'At most 3600 seconds'),
  /** A substring of the URL, or a glob with `*` (shared/urlPattern.ts); empty or null: any page. */
  urlPattern: text()
    .trim()
    .superRefine((v, ctx) => {
      const problem = v === '' ? null : urlPatternProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .nullable()
    .transform((v) => v || null),
  minPagesViewed: z.number().int('Pages viewed: a whole number').min(1, 'Pages viewed: at least 1').max(1000).nullable(),
  /** true: returning visitors only; false: first visits only; null: both. */
  returning: z.boolean().nullable(),
  /** A1: the department the chats of a rule go to (one of the account's: checked); null: no department. */
  departmentId: uuid.nullable(),
};

/** PATCH: any of the fields. */
export const invitationRulePatch = z.object(ruleFields).partial();
export type InvitationRulePatch = z.input<typeof invitationRulePatch>;
/** POST: a name and a message; the conditions left out are off (every page, at once, anyone). */
export const invitationRuleInput = invitationRulePatch.required({ name: true, message: true });
export type InvitationRuleInput = z.input<typeof invitationRuleInput>;

export interface InvitationRuleView {
  id: string;
  name: string;
  enabled: boolean;
  message: string;
  secondsOnPage: number;
  urlPattern: string | null;
  minPagesViewed: number | null;
  returning: boolean | null;
  departmentId: string | null;
  createdAt: string;
}
