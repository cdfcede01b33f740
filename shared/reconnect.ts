/**
 * How the widget and the panel reconnect after losing the server (#4: the reconnect storm after a
 * restart or deploy). Every client backs off with jitter, so thousands of them spread their
 * attempts instead of arriving together; the cap is short because the time from "the server is
 * back" to "the client is back" is mostly the wait for its next attempt, and refused attempts while
 * the server is down cost next to nothing. A server that is up but overloaded refuses handshakes
 * with a `retryAfterMs` (admission control): clients wait that long, jittered, before trying again.
 * `npm run bench -- --storm` measures the recovery with these settings.
 */
export interface ReconnectSettings {
  reconnectionDelay: number;
  reconnectionDelayMax: number;
  randomizationFactor: number;
}

/** The widget (visitors). */
export const WIDGET_RECONNECT: ReconnectSettings = { reconnectionDelay: 1000, reconnectionDelayMax: 2000, randomizationFactor: 0.5 };

/** The extension's background socket (operators). */
export const PANEL_RECONNECT: ReconnectSettings = { reconnectionDelay: 1000, reconnectionDelayMax: 2000, randomizationFactor: 0.5 };

/** A handshake refused for load carries this in its connect_error `data`. */
export interface RetryAfter {
  retryAfterMs: number;
}

/** The wait before retrying a handshake the server refused with `retryAfterMs`: jittered ±50 %. */
export function retryDelay(retryAfterMs: number, random: () => number = Math.random): number {
  return Math.round(retryAfterMs * (0.5 + random()));
}
