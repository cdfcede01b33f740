import { z } from 'zod';
import { text } from './common';

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
}
