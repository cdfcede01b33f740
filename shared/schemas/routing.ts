/**
 * Availability and routing (P11, A1, #6): operators' status (online / away / offline), their
 * limit of concurrent chats, departments, and how an account routes waiting chats.
 */
import { z } from 'zod';
import { atMost, text, uuid } from './common';

/** What an operator chose. `offline` while connected: they finish their chats but take no new ones. */
export const AVAILABILITIES = ['online', 'away', 'offline'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** manual: the department's operators see a waiting chat and one accepts it; auto: the server assigns it. */
export const ROUTING_MODES = ['manual', 'auto'] as const;
export type RoutingMode = (typeof ROUTING_MODES)[number];

export const MAX_DEPARTMENT_NAME = 60;
export const MAX_DEPARTMENTS = 50;
/** The default limit of concurrent chats (A1): admins change it per operator on the Team page. */
export const DEFAULT_MAX_CHATS = 5;
export const MAX_MAX_CHATS = 50;
/** Routing settings' defaults (no row yet). */
export const DEFAULT_ROUTING = { mode: 'manual', escalationSeconds: 60, autoAwayMinutes: 10 } as const;
/** The longest transfer note. */
export const MAX_TRANSFER_NOTE = 1000;

const departmentName = text('Enter a name').trim().min(1, 'Enter a name').max(MAX_DEPARTMENT_NAME, atMost(MAX_DEPARTMENT_NAME));
const minutes = z.number('Enter a number of minutes').int('Whole minutes').min(0, '0 or more').max(480, 'At most 480 minutes');

/** POST /api/departments */
export const departmentCreateBody = z.object({ name: departmentName });

/** PATCH /api/departments/:departmentId — both optional (a foreign id is `not_found`, never a validation error). */
export const departmentPatch = z.object({
  name: departmentName.optional(),
  /** The department's operators, all of them (replaces the list). */
  operatorIds: z.array(uuid).max(500).optional(),
});
export type DepartmentPatch = z.input<typeof departmentPatch>;

/** PATCH /api/routing/settings (admins) — absent fields stay as they are. */
export const routingSettingsPatch = z.object({
  mode: z.enum(ROUTING_MODES).optional(),
  /** A chat waiting this long alerts its department again, and as long again every online operator; 0 = never. */
  escalationSeconds: z.number('Enter a number of seconds').int('Whole seconds').min(0, '0 or more').max(3600, 'At most 3600 seconds').optional(),
  /** Default for operators who chose none: away after this many minutes without activity in the panel; 0 = never. */
  autoAwayMinutes: minutes.optional(),
});
export type RoutingSettingsPatch = z.input<typeof routingSettingsPatch>;

/** PATCH /api/routing/operators/:operatorId (admins). */
export const operatorRoutingPatch = z.object({
  maxChats: z.number('Enter a number').int('A whole number').min(1, 'At least 1').max(MAX_MAX_CHATS, `At most ${MAX_MAX_CHATS}`).optional(),
  /** Every department the operator is in (replaces the list). */
  departmentIds: z.array(uuid).max(MAX_DEPARTMENTS).optional(),
});
export type OperatorRoutingPatch = z.input<typeof operatorRoutingPatch>;

/** PATCH /api/routing/me: the operator's own auto-away (null: the account's default). */
export const myRoutingPatch = z.object({ autoAwayMinutes: minutes.nullable().optional() });

/** status:set */
export const statusSetPayload = z.object({ status: z.enum(AVAILABILITIES) });

/**
 * chat:transfer (P5). `operatorId`: to that operator (online, below their limit); `departmentId`
 * alone: back to waiting in that department's queue; both: to the operator, and the chat now
 * belongs to that department. `note` is internal: operators only (#5), never the visitor.
 */
export const chatTransferPayload = z
  .object({
    conversationId: uuid,
    operatorId: uuid.optional(),
    departmentId: uuid.optional(),
    note: text().trim().max(MAX_TRANSFER_NOTE, atMost(MAX_TRANSFER_NOTE)).optional(),
  })
  .refine((p) => p.operatorId !== undefined || p.departmentId !== undefined, { path: ['operatorId'], message: 'Choose an operator or a department' });
export type ChatTransferPayload = z.infer<typeof chatTransferPayload>;

export interface DepartmentView {
  id: string;
  name: string;
  operatorIds: string[];
}

export interface RoutingSettingsView {
  mode: RoutingMode;
  escalationSeconds: number;
  autoAwayMinutes: number;
}

/** One operator as "View operators" shows them (P11), live (`operator:updated`). */
export interface OperatorAvailabilityView {
  id: string;
  name: string;
  /** What others see: `offline` whenever no panel of theirs is connected, whatever they chose. */
  status: Availability;
  /** Set by auto-away (activity brings them back online). */
  autoAway: boolean;
  /** Active chats now. */
  load: number;
  maxChats: number;
  departmentIds: string[];
  /** Their own auto-away in minutes; null = the account's default. */
  autoAwayMinutes: number | null;
}

/** A department as the widget's pre-chat form offers it (only with someone available). */
export interface DepartmentAvailability {
  id: string;
  name: string;
  /** Someone of the department can take chats now. Never how many: staffing is no visitor's business (#4). */
  available: boolean;
}

/**
 * What a visitor's widget knows of the operators: whether someone can take chats, in all and per
 * department (#6), never how many (#4: a count told every visitor how many staff are on shift, and
 * each change of it, 1 → 2 → 3 as panels came back after a restart, went to every widget).
 */
export interface VisitorAvailability {
  /** Some operator of the account is online (status online, a panel connected); false → the widget offers a ticket instead. */
  operatorsAvailable: boolean;
  /** A1 (#6): the account's departments, alphabetical (the pre-chat form offers those with someone available). */
  departments: DepartmentAvailability[];
}
