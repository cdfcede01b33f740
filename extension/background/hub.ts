/**
 * The background's socket hub: it owns the single operator socket (so the badge and desktop
 * notifications work while no panel is open, SPEC P5), proxies commands from panel ports to the
 * socket, and forwards every server event and the connection status to all panels.
 */
import type { ConversationView, MessageView } from '@@/shared/schemas/chats';
import type { Session } from '@/utils/session';
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  type BackgroundMessage,
  type ConnectionStatus,
  type PanelMessage,
  type PortLike,
  type Result,
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

/** Side effects of the hub on the browser: badge and notifications (see ./alerts.ts). */
export interface HubAlerts {
  setWaitingCount(count: number, status: ConnectionStatus): void;
  newChat(conversation: ConversationView): void;
  newMessage(message: MessageView, conversation: ConversationView | undefined): void;
  clearChat(conversationId: string): void;
}

export interface HubOptions {
  createSocket(session: Session): SocketLike;
  alerts: HubAlerts;
  /** The server refused the token: the session is over (the panels go back to login). */
  onUnauthenticated(): void;
  log?: (...args: unknown[]) => void;
}

interface PanelState {
  port: PortLike;
  focus: string | null;
  visible: boolean;
}

export function createHub(options: HubOptions) {
  const { alerts } = options;
  const log = options.log ?? (() => {});
  let session: Session | null = null;
  let socket: SocketLike | null = null;
  let status: ConnectionStatus = 'offline';
  const panels = new Set<PanelState>();
  /** Open conversations the hub knows of (for badge count and "is this chat mine"). */
  const conversations = new Map<string, ConversationView>();
  /** A notification was clicked before any panel was there: tell the next panel that connects. */
  let pendingOpenChat: string | null = null;

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
    updateBadge();
  }

  function waitingCount() {
    let n = 0;
    for (const c of conversations.values()) if (c.status === 'waiting') n++;
    return n;
  }

  function updateBadge() {
    alerts.setWaitingCount(session ? waitingCount() : 0, status);
  }

  function upsertConversation(c: ConversationView) {
    if (c.status === 'closed') conversations.delete(c.id);
    else conversations.set(c.id, c);
    if (c.status !== 'waiting') alerts.clearChat(c.id);
    updateBadge();
  }

  function isShownSomewhere(conversationId: string) {
    for (const p of panels) if (p.visible && p.focus === conversationId) return true;
    return false;
  }

  function handleServerEvent(event: string, payload: unknown) {
    switch (event) {
      case 'chat:requested': {
        const c = payload as ConversationView;
        const isNew = !conversations.has(c.id);
        upsertConversation(c);
        if (isNew && c.status === 'waiting') alerts.newChat(c);
        break;
      }
      case 'chat:updated':
        upsertConversation(payload as ConversationView);
        break;
      case 'visitor:removed': {
        // #4: an admin forgot the visitor; their chats no longer wait or count.
        for (const id of (payload as { conversationIds: string[] }).conversationIds) {
          conversations.delete(id);
          alerts.clearChat(id);
        }
        updateBadge();
        break;
      }
      case 'message:sent': {
        const m = payload as MessageView;
        const c = conversations.get(m.conversationId);
        if (c && m.seq > c.lastSeq) conversations.set(c.id, { ...c, lastSeq: m.seq, lastAuthor: m.author, preview: m.body.split('\n')[0] ?? '' });
        const mine = c && c.status === 'active' && c.operatorId === session?.operator.id;
        if (m.author === 'visitor' && mine && !isShownSomewhere(m.conversationId)) alerts.newMessage(m, c);
        break;
      }
    }
  }

  async function refreshConversations(s: SocketLike) {
    const res = await emit(s, 'chat:list', {}, DEFAULT_REQUEST_TIMEOUT_MS);
    if (!res.ok || s !== socket) return;
    conversations.clear();
    for (const c of res.data as ConversationView[]) if (c.status !== 'closed') conversations.set(c.id, c);
    updateBadge();
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

  function connect(next: Session) {
    const s = options.createSocket(next);
    socket = s;
    setStatus('connecting');
    s.on('connect', () => {
      if (s !== socket) return;
      log('connected');
      setStatus('connected');
      void refreshConversations(s);
    });
    s.on('disconnect', (reason: string) => {
      if (s !== socket) return;
      log('disconnected', reason);
      // 'io server disconnect' / 'io client disconnect' do not reconnect by themselves: the alarm tick will.
      setStatus(reason === 'io server disconnect' || reason === 'io client disconnect' ? 'offline' : 'connecting');
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
      handleServerEvent(event, payload);
      broadcast({ type: 'event', event, payload } as BackgroundMessage);
    });
    s.connect();
  }

  function teardown() {
    const s = socket;
    socket = null;
    conversations.clear();
    s?.disconnect();
    setStatus('offline');
    updateBadge();
  }

  return {
    get status() {
      return status;
    },
    get socket() {
      return socket;
    },
    /** Start, switch or stop according to the stored session (sign-in, sign-out, other server). */
    setSession(next: Session | null) {
      const same = next && session && next.token === session.token && next.serverUrl === session.serverUrl;
      session = next;
      if (same) return this.ensureConnected();
      teardown();
      if (next) connect(next);
    },
    /** On browser start-up and on every alarm tick: a socket that gave up is started again. */
    ensureConnected() {
      if (!session) return;
      if (!socket) return connect(session);
      if (!socket.connected && status === 'offline') socket.connect();
    },
    addPanel(port: PortLike) {
      const panel: PanelState = { port, focus: null, visible: false };
      panels.add(panel);
      const onMessage = (message: PanelMessage) => {
        if (message.type === 'focus') {
          panel.focus = message.conversationId;
          panel.visible = message.visible;
          if (message.visible && message.conversationId) alerts.clearChat(message.conversationId);
          return;
        }
        if (message.type === 'request') {
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
        }
      };
      port.onMessage.addListener(onMessage);
      port.onDisconnect.addListener(() => {
        panels.delete(panel);
        port.onMessage.removeListener(onMessage);
      });
      port.postMessage({ type: 'status', status } satisfies BackgroundMessage);
      if (pendingOpenChat) {
        port.postMessage({ type: 'open-chat', conversationId: pendingOpenChat } satisfies BackgroundMessage);
        pendingOpenChat = null;
      }
    },
    /** A notification was clicked: panels that are open show the chat, else the next one to open does. */
    openChat(conversationId: string) {
      if (panels.size === 0) pendingOpenChat = conversationId;
      else broadcast({ type: 'open-chat', conversationId });
    },
    get panelCount() {
      return panels.size;
    },
    get waitingCount() {
      return waitingCount();
    },
  };
}

