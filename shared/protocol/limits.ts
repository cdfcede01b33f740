/**
 * The sizes every side agrees on (#5): the zod schemas (shared/schemas) enforce them on the
 * server; the widget and the panel use them in their forms. Plain numbers, so a client imports
 * them without zod (the widget's size budget).
 */

/** Longest message body, and longest pre-chat question (String length, as the schema and `maxlength` count). */
export const MAX_MESSAGE_LENGTH = 5000;

/** Longest visitor name on the pre-chat form. */
export const MAX_NAME_LENGTH = 120;

/** Longest email address (RFC 5321's path limit). */
export const MAX_EMAIL_LENGTH = 254;
