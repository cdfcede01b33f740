/**
 * The typing indicator's timings (#5), one set for the widget, the panel and the server's rate
 * limits. A `typing:updated` is never stored and may be lost, so each side expires it alone.
 */

/** While someone keeps typing, `typing:set true` is sent again this often. */
export const TYPING_REPEAT_MS = 4000;

/** The other side forgets a `typing:updated true` after this long without a repeat: one repeat plus 2 s for a slow network. */
export const TYPING_EXPIRES_MS = 6000;

/** Silence in the composer after which the typist counts as stopped (`typing:set false`). */
export const TYPING_IDLE_MS = 3000;
