/**
 * The panel's handle on the background's socket: a typed request/response and event proxy over a
 * runtime Port. Stores use it as if it were the socket: `server.request('chat:accept', {...})`,
 * `server.on('message:sent', fn)`, `server.onStatus(fn)`.
 */
import { browser } from '#imports';
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  PANEL_PORT_NAME,
  type BackgroundMessage,
  type CommandName,
  type CommandPayload,
  type CommandResult,
  type ConnectionStatus,
  type PanelMessage,
  type PortLike,
  type Result,
  type ServerEventName,
  type ServerEventPayload,
} from './protocol';

// `any`: one map holds the listeners of every event, each typed by its own payload at on().
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (payload: any) => void;

export interface ServerClient {
  readonly status: ConnectionStatus;
  request<E extends CommandName>(event: E, payload: CommandPayload<E>, options?: { timeoutMs?: number }): Promise<Result<CommandResult<E>>>;
  on<E extends ServerEventName>(event: E, fn: (payload: ServerEventPayload<E>) => void): () => void;
  /** Called now with the current status and on every change. */
  onStatus(fn: (status: ConnectionStatus, previous: ConnectionStatus) => void): () => void;
  onOpenChat(fn: (conversationId: string) => void): () => void;
  /** P12: text from the context menu ("Insert into chat") for a reply box. */
  onInsertText(fn: (text: string) => void): () => void;
  /** Which chat this panel shows, whether it is visible, and whether it has the focus (P5: no sound for a chat being read). */
  setFocus(conversationId: string | null, visible: boolean, focused?: boolean): void;
  close(): void;
}

export interface ServerClientOptions {
  connect: () => PortLike;
  /** Delay before re-opening a port the background closed (an MV3 worker restart closes ports). */
  reconnectDelayMs?: number;
}

export function createServerClient({ connect, reconnectDelayMs = 500 }: ServerClientOptions): ServerClient {
  let port: PortLike | null = null;
  let status: ConnectionStatus = 'connecting';
  let nextId = 1;
  let closed = false;
  let focus: { conversationId: string | null; visible: boolean; focused: boolean } = { conversationId: null, visible: false, focused: false };
  const pending = new Map<number, { resolve: (r: Result<unknown>) => void; timer: ReturnType<typeof setTimeout> }>();
  const listeners = new Map<string, Set<Listener>>();
  const statusListeners = new Set<(s: ConnectionStatus, prev: ConnectionStatus) => void>();
  const openChatListeners = new Set<(id: string) => void>();
  const insertListeners = new Set<(text: string) => void>();

  function setStatus(next: ConnectionStatus) {
    if (next === status) return;
    const prev = status;
    status = next;
    for (const fn of [...statusListeners]) fn(next, prev);
  }

  function settle(id: number, result: Result<unknown>) {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(result);
  }

  function onMessage(message: BackgroundMessage) {
    switch (message.type) {
      case 'result':
        settle(message.id, message.result);
        break;
      case 'status':
        setStatus(message.status);
        break;
      case 'event':
        for (const fn of [...(listeners.get(message.event) ?? [])]) fn(message.payload);
        break;
      case 'open-chat':
        for (const fn of [...openChatListeners]) fn(message.conversationId);
        break;
      case 'composer-insert':
        for (const fn of [...insertListeners]) fn(message.text);
        break;
    }
  }

  function open() {
    if (closed) return;
    let p: PortLike;
    try {
      p = connect();
    } catch {
      setStatus('offline');
      setTimeout(open, reconnectDelayMs * 4);
      return;
    }
    port = p;
    p.onMessage.addListener(onMessage);
    p.onDisconnect.addListener(() => {
      if (port !== p) return;
      port = null;
      for (const id of [...pending.keys()]) settle(id, { ok: false, error: { code: 'offline', message: 'Lost the background connection' } });
      setStatus('connecting');
      if (!closed) setTimeout(open, reconnectDelayMs);
    });
    post({ type: 'focus', ...focus });
  }

  function post(message: PanelMessage): boolean {
    if (!port) return false;
    try {
      port.postMessage(message);
      return true;
    } catch {
      return false;
    }
  }

  open();

  return {
    get status() {
      return status;
    },
    request(event, payload, options = {}) {
      const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      const id = nextId++;
      return new Promise((resolve) => {
        // The background times the socket ack out itself; this local timer only covers a lost port.
        const timer = setTimeout(() => settle(id, { ok: false, error: { code: 'timeout', message: 'No answer from the background' } }), timeoutMs + 2000);
        pending.set(id, { resolve: resolve as (r: Result<unknown>) => void, timer });
        if (!post({ type: 'request', id, event, payload, timeoutMs })) {
          settle(id, { ok: false, error: { code: 'offline', message: 'Not connected' } });
        }
      });
    },
    on(event, fn) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(fn as Listener);
      return () => set.delete(fn as Listener);
    },
    onStatus(fn) {
      statusListeners.add(fn);
      fn(status, status);
      return () => statusListeners.delete(fn);
    },
    onOpenChat(fn) {
      openChatListeners.add(fn);
      return () => openChatListeners.delete(fn);
    },
    onInsertText(fn) {
      insertListeners.add(fn);
      return () => insertListeners.delete(fn);
    },
    setFocus(conversationId, visible, focused = visible) {
      focus = { conversationId, visible, focused };
      post({ type: 'focus', ...focus });
    },
    close() {
      closed = true;
      port?.disconnect();
      port = null;
    },
  };
}

let shared: ServerClient | null = null;

/** The panel's one server client (created on first use); tests install a fake with `setServerClient`. */
export function useServer(): ServerClient {
  shared ??= createServerClient({ connect: () => browser.runtime.connect({ name: PANEL_PORT_NAME }) as unknown as PortLike });
  return shared;
}

export function setServerClient(client: ServerClient | null) {
  shared = client;
}
