/**
 * P12's "toast for a new chat": an Accept button on the desktop notification of a new chat, so an
 * operator whose panel is closed takes the chat without opening it first (Chrome; Firefox's
 * notifications have no buttons). Not a toast injected into the page: drawing on the active tab
 * would mean a script in a page the operator did not act on, which P12 rules out. Off until the
 * operator switches it on in the account menu (kept in this browser).
 */
import { storage } from '#imports';

export const acceptFromNotificationItem = storage.defineItem<boolean>('local:notify-accept', { fallback: false, version: 1 });

/** Firefox has no notification buttons: the choice is not offered there. (BROWSER: under vitest the FIREFOX flag is the string "false".) */
export const notificationButtons = import.meta.env.BROWSER !== 'firefox';
