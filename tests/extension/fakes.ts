/** In-memory stand-ins for the socket and the panel's server client, shared by extension tests. */
import type { ServerClient } from '@/utils/serverClient';
import type { SocketLike } from '@/background/hub';
import type { CommandName, ConnectionStatus, Result, ServerEventName, ServerEventPayload } from '@/utils/protocol';
import type { ConversationView, MessageView } from '@@/shared/schemas/chats';
import type { VisitorView } from '@@/shared/schemas/visitors';

type Handler = (payload: any) => Result<unknown> | Promise<Result<unknown>>;

/** A ServerClient whose commands are answered by test handlers and whose events tests emit. */
export function createFakeServer() {
  let status: ConnectionStatus = 'connecting';
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Set<(p: any) => void>>();
  const statusListeners = new Set<(s: ConnectionStatus, p: ConnectionStatus) => void>();
  const openChatListeners = new Set<(id: string) => void>();
  const insertListeners = new Set<(text: string) => void>();
  const calls: { event: CommandName; payload: any }[] = [];
  const focus: { conversationId: string | null; visible: boolean }[] = [];

  const client: ServerClient = {
    get status() {
      return status;
    },
    async request(event, payload) {
      calls.push({ event, payload });
      if (status !== 'connected') return { ok: false, error: { code: 'offline', message: 'offline' } } as never;
      const h = handlers.get(event);
      if (!h) return { ok: false, error: { code: 'not_found', message: `no handler for ${event}` } } as never;
      return (await h(payload)) as never;
    },
    on(event, fn) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(fn);
      return () => set.delete(fn);
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
    setFocus(conversationId, visible) {
      focus.push({ conversationId, visible });
    },
    close() {},
  };

  return {
    client,
    calls,
    focus,
    handle(event: CommandName, fn: Handler) {
      handlers.set(event, fn);
    },
    emit<E extends ServerEventName>(event: E, payload: ServerEventPayload<E>) {
      for (const fn of [...(listeners.get(event) ?? [])]) fn(structuredClone(payload));
    },
    setStatus(next: ConnectionStatus) {
      const prev = status;
      status = next;
      for (const fn of [...statusListeners]) fn(next, prev);
    },
    openChat(id: string) {
      for (const fn of [...openChatListeners]) fn(id);
    },
    insertText(text: string) {
      for (const fn of [...insertListeners]) fn(text);
    },
    callsOf(event: CommandName) {
      return calls.filter((c) => c.event === event).map((c) => c.payload);
    },
  };
}

/** A socket.io-like socket: tests drive connect/disconnect and answer emits. */
export class FakeSocket implements SocketLike {
  connected = false;
  connectCalls = 0;
  disconnected = false;
  emitted: { event: string; payload: unknown }[] = [];
  answer: (event: string, payload: unknown) => unknown | undefined = () => ({ ok: true, data: null });
  private handlers = new Map<string, ((...a: any[]) => void)[]>();
  private anyHandlers: ((event: string, ...a: any[]) => void)[] = [];

  connect() {
    this.connectCalls++;
    return this;
  }
  disconnect() {
    this.disconnected = true;
    this.connected = false;
    return this;
  }
  on(event: string, fn: (...a: any[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  onAny(fn: (event: string, ...a: any[]) => void) {
    this.anyHandlers.push(fn);
    return this;
  }
  timeout(_ms: number) {
    return {
      emit: (event: string, payload: unknown, ack: (err: Error | null, res: unknown) => void) => {
        this.emitted.push({ event, payload });
        const res = this.answer(event, payload);
        if (res === undefined) queueMicrotask(() => ack(new Error('operation has timed out'), undefined));
        else queueMicrotask(() => ack(null, res));
      },
    };
  }
  /** Test side: the server accepted the connection. */
  open() {
    this.connected = true;
    this.fire('connect');
  }
  drop(reason = 'transport close') {
    this.connected = false;
    this.fire('disconnect', reason);
  }
  fail(message: string) {
    this.fire('connect_error', new Error(message));
  }
  serverEmit(event: string, payload: unknown) {
    for (const fn of this.anyHandlers) fn(event, payload);
  }
  private fire(event: string, ...args: unknown[]) {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }
}

export const flush = () => new Promise((r) => setTimeout(r, 0));

let n = 0;
export function conversation(over: Partial<ConversationView> = {}): ConversationView {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    visitorId: `v-${n}`,
    status: 'waiting',
    visitorName: 'Alice',
    visitorEmail: 'alice@example.com',
    operatorId: null,
    operatorName: null,
    createdAt: new Date(Date.now() - 30_000).toISOString(),
    acceptedAt: null,
    closedAt: null,
    lastSeq: 1,
    lastAuthor: 'visitor',
    lastMessageAt: new Date().toISOString(),
    preview: 'Do you ship to Norway?',
    departmentId: null,
    waitingSince: new Date(Date.now() - 30_000).toISOString(),
    escalationLevel: 0,
    returningVisitor: false,
    operatorReadSeq: 0,
    visitorReadSeq: 0,
    ...over,
  };
}

export function message(conversationId: string, seq: number, over: Partial<MessageView> = {}): MessageView {
  return {
    conversationId,
    seq,
    clientId: `client_${conversationId.slice(-4)}_${seq}`,
    author: 'visitor',
    authorName: 'Alice',
    body: `message ${seq}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString(),
    ...over,
  };
}

export function visitor(i: number, over: Partial<VisitorView> = {}): VisitorView {
  return {
    id: `visitor-${i}`,
    online: true,
    state: 'browsing',
    name: null,
    email: null,
    currentUrl: `http://localhost:3000/demo/page-${i}.html`,
    pageTitle: `Page ${i}`,
    referrer: null,
    country: 'DE',
    region: null,
    city: 'Berlin',
    language: 'de-DE',
    ip: '203.0.113.5',
    browser: 'Chrome 140',
    platform: 'Linux',
    screen: '1920x1080',
    visitStartedAt: new Date(Date.now() - i * 1000).toISOString(),
    lastSeenAt: new Date().toISOString(),
    pagesViewed: 1,
    conversationId: null,
    invited: false,
    invitation: null,
    ...over,
  };
}
