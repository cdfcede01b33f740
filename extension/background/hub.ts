/**
 * The background's socket hub: it owns the single operator socket (so the badge and desktop
 * notifications work while no panel is open, P5), proxies commands from panel ports to the
 * socket, and forwards every server event and the connection status to all panels. What a feature
 * does in the background (a badge, notifications, messages of its own to and from the panels) is a
 * domain that plugs in here (./domains.ts lists them); the hub itself knows no feature.
 */
import type { Session } from '@/utils/session';
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  type BackgroundMessage,
  type CommandName,
  type ConnectionStatus,
  type PanelMessage,
  type PortLike,
  type Result,
  type ServerEventName,
  type ServerEventPayload,
} from '@/utils/protocol';

/** The part of a socket.io-client `Socket` the hub uses (a fake implements it in tests). */
export interface SocketLike {
  readonly connected: boolean;
  connect(): unknown;
  disconnect(): unknown;
  on(event: string, fn: (...args: any[]) => void): unknown;
  onAny(fn: (event: string, ...args: any[]) => void): unknown;
  timeout(ms: number): { emit(event: string, payload: unknown, ack: (err: Error | null, res: unknown) => void): unknown };
}

/** One open panel (side panel, options page, a tab) as a domain sees it. */
export interface PanelHandle {
  post(message: BackgroundMessage): void;
}

/** What the hub lends its domains. */
export interface DomainContext {
  session(): Session | null;
  status(): ConnectionStatus;
  panels(): Iterable<PanelHandle>;
  broadcast(message: BackgroundMessage): void;
}

/** A connection that just came up: requests on it, and whether it is still the hub's socket. */
export interface Connection {
  request(event: CommandName, payload: unknown): Promise<Result<unknown>>;
  current(): boolean;
}

/** Panel → background messages that belong to a domain (`request` is the hub's own). */
export type DomainPanelMessage = Exclude<PanelMessage, { type: 'request' }>;

/** A feature's part in the background. Every hook is optional; handlers run in registration order. */
export interface BackgroundDomain {
  /** Server events this domain reacts to; they go on to the panels after it. */
  events?: { [E in ServerEventName]?: (payload: ServerEventPayload<E>) => void };
  /** Panel messages of this domain's own types. */
  panelMessages?: { [T in DomainPanelMessage['type']]?: (panel: PanelHandle, message: Extract<DomainPanelMessage, { type: T }>) => void };
  /** The connection status changed (the panels were told first). */
  onStatus?(status: ConnectionStatus): void;
  /** The socket connected (again): fetch what may have been missed. */
  onConnected?(connection: Connection): void | Promise<void>;
  /** The socket is gone (signed out, another session, token refused): forget the session's state. */
  onSessionEnd?(): void;
  /** A panel connected (it has been sent the status). */
  onPanelAdded?(panel: PanelHandle): void;
}

export interface SocketHubOptions<D extends Record<string, BackgroundDomain>> {
  createSocket(session: Session): SocketLike;
  /** The server refused the token: the session is over (the panels go back to login). */
  onUnauthenticated(): void;
  log?: (...args: unknown[]) => void;
  /** Each domain, made with the hub's context. */
  domains: { [K in keyof D]: (context: DomainContext) => D[K] };
}

/** After the server disconnected the socket on purpose, the one try to connect again comes after 1–2 times this. */
export const SERVER_DISCONNECT_RETRY_MS = 1_000;

interface PanelState extends PanelHandle {
  port: PortLike;
}

export function createSocketHub<D extends Record<string, BackgroundDomain>>(options: SocketHubOptions<D>) {
  const log = options.log ?? (() => {});
  let session: Session | null = null;
  let socket: SocketLike | null = null;
  let status: ConnectionStatus = 'offline';
  const panels = new Set<PanelState>();

  const context: DomainContext = {
    session: () => session,
    status: () => status,
    panels: () => panels,
    broadcast,
  };
  const domains = Object.fromEntries(Object.entries(options.domains).map(([name, make]) => [name, make(context)])) as D;
  const each = Object.values(domains) as BackgroundDomain[];

  function broadcast(message: BackgroundMessage) {
    for (const panel of panels) {
      try {
        panel.port.postMessage(message);
      } catch {
        panels.delete(panel);
      }
    }
  }

  function setStatus(next: ConnectionStatus) {
    if (status === next) return;
    status = next;
    broadcast({ type: 'status', status });
    for (const d of each) d.onStatus?.(status);
  }

  function emit(s: SocketLike, event: string, payload: unknown, timeoutMs: number): Promise<Result<unknown>> {
    if (!s.connected) return Promise.resolve({ ok: false, error: { code: 'offline', message: 'Not connected to the server' } });
    return new Promise((resolve) => {
      s.timeout(timeoutMs).emit(event, payload, (err, res) => {
        if (err) resolve({ ok: false, error: { code: 'timeout', message: 'The server did not answer in time' } });
        else resolve(res as Result<unknown>);
      });
    });
  }

  function onServerEvent(event: string, payload: unknown) {
    for (const d of each) (d.events?.[event as ServerEventName] as ((p: unknown) => void) | undefined)?.(payload);
  }

  function connect(next: Session) {
    const s = options.createSocket(next);
    socket = s;
    setStatus('connecting');
    s.on('connect', () => {
      if (s !== socket) return;
      log('connected');
      setStatus('connected');
      const connection: Connection = { request: (event, payload) => emit(s, event, payload, DEFAULT_REQUEST_TIMEOUT_MS), current: () => s === socket };
      for (const d of each) void Promise.resolve(d.onConnected?.(connection)).catch((err: unknown) => log('a domain failed on connect', err));
    });
    s.on('disconnect', (reason: string) => {
      if (s !== socket) return;
      log('disconnected', reason);
      // 'io server disconnect' / 'io client disconnect' do not reconnect by themselves: the alarm tick will.
      setStatus(reason === 'io server disconnect' || reason === 'io client disconnect' ? 'offline' : 'connecting');
      // A5: the server cuts an operator's sockets when their session ends elsewhere, when they are
      // disabled and when their role changes. One try soon tells which: `unauthenticated` signs the
      // panel out, a live session reconnects with the new role. (Jittered: never all at once.)
      if (reason === 'io server disconnect') setTimeout(() => s === socket && !s.connected && s.connect(), SERVER_DISCONNECT_RETRY_MS * (1 + Math.random()));
    });
    s.on('connect_error', (err: Error) => {
      if (s !== socket) return;
      log('connect_error', err.message);
      if (err.message === 'unauthenticated') {
        teardown();
        options.onUnauthenticated();
        return;
      }
      setStatus('offline');
    });
    s.onAny((event, payload) => {
      if (s !== socket) return;
      onServerEvent(event, payload);
      broadcast({ type: 'event', event, payload } as BackgroundMessage);
    });
    s.connect();
  }

  function teardown() {
    const s = socket;
    socket = null;
    s?.disconnect();
    for (const d of each) d.onSessionEnd?.();
    setStatus('offline');
  }

  function ensureConnected() {
    if (!session) return;
    if (!socket) return connect(session);
    if (!socket.connected && status === 'offline') socket.connect();
  }

  return {
    domains,
    get status() {
      return status;
    },
    get panelCount() {
      return panels.size;
    },
    /** The stored session the hub runs (null: signed out). */
    get session() {
      return session;
    },
    /** Start, switch or stop according to the stored session (sign-in, sign-out, other server). */
    setSession(next: Session | null) {
      const same = next && session && next.token === session.token && next.serverUrl === session.serverUrl;
      session = next;
      if (same) return ensureConnected();
      teardown();
      if (next) connect(next);
    },
    /** On browser start-up and on every alarm tick: a socket that gave up is started again. */
    ensureConnected,
    addPanel(port: PortLike) {
      const panel: PanelState = {
        port,
        post(message) {
          port.postMessage(message);
        },
      };
      panels.add(panel);
      const onMessage = (message: PanelMessage) => {
        if (message.type !== 'request') {
          for (const d of each) (d.panelMessages?.[message.type] as ((p: PanelHandle, m: DomainPanelMessage) => void) | undefined)?.(panel, message);
          return;
        }
        const s = socket;
        const reply = (result: Result<unknown>) => {
          if (!panels.has(panel)) return;
          try {
            port.postMessage({ type: 'result', id: message.id, result } satisfies BackgroundMessage);
          } catch {
            panels.delete(panel);
          }
        };
        if (!s) reply({ ok: false, error: { code: 'offline', message: 'Not signed in' } });
        else void emit(s, message.event, message.payload, message.timeoutMs).then(reply);
      };
      port.onMessage.addListener(onMessage);
      port.onDisconnect.addListener(() => {
        panels.delete(panel);
        port.onMessage.removeListener(onMessage);
      });
      port.postMessage({ type: 'status', status } satisfies BackgroundMessage);
      for (const d of each) d.onPanelAdded?.(panel);
    },
  };
}
