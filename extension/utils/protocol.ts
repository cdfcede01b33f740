/**
 * The runtime-Port protocol between panels (side panel, options page, a tab) and the background,
 * which holds the one operator socket. Everything is typed from the shared event maps, so a panel
 * calls `request('chat:accept', { conversationId })` exactly as it would on the socket itself.
 */
import type { Ack, ApiError } from '@@/shared/errors';
import type { OperatorClientToServer, OperatorServerToClient } from '@@/shared/events';

export const PANEL_PORT_NAME = 'sidedesk-panel';

export type CommandName = keyof OperatorClientToServer;
export type CommandPayload<E extends CommandName> = Parameters<OperatorClientToServer[E]>[0];
export type CommandResult<E extends CommandName> = Parameters<Parameters<OperatorClientToServer[E]>[1]>[0] extends Ack<infer R> ? R : never;

export type ServerEventName = keyof OperatorServerToClient;
export type ServerEventPayload<E extends ServerEventName> = Parameters<OperatorServerToClient[E]>[0];

export type ConnectionStatus = 'connected' | 'connecting' | 'offline';

/**
 * Failures that never reached the server (no socket, no answer in time). They are not in the
 * shared `ErrorCode` list because the server never sends them; the outbox keeps such messages.
 */
export type TransportErrorCode = 'offline' | 'timeout';
export interface TransportError {
  code: TransportErrorCode;
  message: string;
}
export type ClientError = ApiError | TransportError;
export type Result<T> = { ok: true; data: T } | { ok: false; error: ClientError };

export function isTransportError(error: ClientError): error is TransportError {
  return error.code === 'offline' || error.code === 'timeout';
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Panel → background. */
export type PanelMessage =
  | { type: 'request'; id: number; event: CommandName; payload: unknown; timeoutMs: number }
  /**
   * Which chat this panel shows, whether the panel is visible (no notification for what the
   * operator is looking at) and whether it has the focus (P5: no sound for the chat being read).
   */
  | { type: 'focus'; conversationId: string | null; visible: boolean; focused?: boolean };

export type ServerEventMessage = {
  [E in ServerEventName]: { type: 'event'; event: E; payload: ServerEventPayload<E> };
}[ServerEventName];

/** Background → panel. */
export type BackgroundMessage =
  | { type: 'result'; id: number; result: Result<unknown> }
  | ServerEventMessage
  | { type: 'status'; status: ConnectionStatus }
  /** A notification was clicked: show this chat. */
  | { type: 'open-chat'; conversationId: string }
  /** P12: text selected on a page ("Insert into chat" in the context menu), for the reply box of one of my chats. */
  | { type: 'composer-insert'; text: string };

/** The part of `browser.runtime.Port` both ends use; tests pass an in-memory pair. */
export interface PortLike {
  readonly name: string;
  postMessage(message: unknown): void;
  disconnect(): void;
  // `any`: each end listens with its own message type, and browser.runtime.Port must fit too.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onMessage: { addListener(fn: (message: any) => void): void; removeListener(fn: (message: any) => void): void };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onDisconnect: { addListener(fn: (port: any) => void): void };
}

/** Two connected in-memory ports (like runtime.connect ↔ onConnect), for tests. */
export function createPortPair(name = PANEL_PORT_NAME): [PortLike, PortLike] {
  type Side = { listeners: Set<(m: unknown) => void>; disconnectListeners: Set<(p: unknown) => void>; port?: PortLike };
  const a: Side = { listeners: new Set(), disconnectListeners: new Set() };
  const b: Side = { listeners: new Set(), disconnectListeners: new Set() };
  let open = true;
  const make = (self: Side, other: Side): PortLike => ({
    name,
    postMessage(message) {
      if (!open) throw new Error('Attempting to use a disconnected port object');
      // Structured clone like the real thing: no shared references between the two ends.
      const copy = structuredClone(message);
      queueMicrotask(() => other.listeners.forEach((fn) => fn(copy)));
    },
    disconnect() {
      if (!open) return;
      open = false;
      // Like Chrome: only the *other* end gets onDisconnect.
      queueMicrotask(() => other.disconnectListeners.forEach((fn) => fn(other.port)));
    },
    onMessage: { addListener: (fn) => self.listeners.add(fn), removeListener: (fn) => self.listeners.delete(fn) },
    onDisconnect: { addListener: (fn) => self.disconnectListeners.add(fn) },
  });
  a.port = make(a, b);
  b.port = make(b, a);
  return [a.port, b.port];
}
