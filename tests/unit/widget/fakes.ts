/** Test doubles for the widget: an in-memory `/visitor` server and a transport that talks to it. */
import type { VisitorServerToClient, VisitorSession } from '../../../shared/events';
import type { MessageView, VisitorConversationView } from '../../../shared/schemas/chats';
import type { RatingView } from '../../../shared/schemas/ratings';
import type { DepartmentAvailability } from '../../../shared/schemas/routing';
import { SYNC_PAGE_SIZE } from '../../../shared/protocol';
import type { FileView } from '../../../shared/schemas/files';
import { ChatController, type Payload, type Transport } from '../../../widget/src/chat/controller';
import type { FileTransfer } from '../../../widget/src/files';
import { createStore } from '../../../widget/src/storage';

export const CONV = '00000000-0000-4000-8000-0000000000c1';

/** A tiny in-memory `/visitor` server: stores messages once per clientId, pages chat:sync. */
export class FakeServer {
  messages: MessageView[] = [];
  conversation: VisitorConversationView = { id: CONV, status: 'active', operatorName: 'Olga', operatorPresent: true, lastSeq: 0, departmentId: null, seen: 0 };
  /** Whether the visitor has an open chat (session:started carries it). */
  hasChat = true;
  /** What session:started says of the account's operators (false: the offline form, #5). */
  operatorsAvailable = true;
  departments: DepartmentAvailability[] = [];
  /** While set, message:send commits but the ack never comes (a connection dying mid-flight). */
  loseAcks = false;
  pending: ((e: Error) => void)[] = [];
  /** Bodies (and chat:start questions) the server refuses for good with message_rejected (#4). */
  refuse = new Set<string>();
  /** Bodies the server fails with internal_error for now (try again later). */
  failing = new Set<string>();
  /** V2: the refusal the next chat:close, rating:set or transcript:send gets. */
  refuseNext: { code: string; message: string } | null = null;
  /** Uploaded files by id (#5): a message:send naming one carries it. */
  files = new Map<string, FileView>();

  add(author: MessageView['author'], body: string, clientId = `srv${this.messages.length + 1}xxxxx`): MessageView {
    const existing = this.messages.find((m) => m.clientId === clientId);
    if (existing) return existing;
    const m: MessageView = {
      conversationId: CONV,
      seq: this.messages.length + 1,
      clientId,
      author,
      authorName: author === 'operator' ? 'Olga' : 'Vic',
      body,
      createdAt: new Date().toISOString(),
    };
    this.messages.push(m);
    this.conversation.lastSeq = m.seq;
    return m;
  }

  handle(event: string, payload: any): Promise<unknown> {
    if (event === 'chat:start') {
      if (payload.question === 'refuse me') return Promise.resolve({ ok: false, error: { code: 'rate_limited', message: 'Slow down a little.' } });
      if (this.refuse.has(payload.question))
        return Promise.resolve({ ok: false, error: { code: 'message_rejected', message: "This question can't be sent." } });
      this.hasChat = true;
      this.conversation.status = 'waiting';
      this.conversation.operatorPresent = false;
      this.add('visitor', payload.question, payload.clientId);
      return Promise.resolve({ ok: true, data: { conversation: { ...this.conversation }, messages: [...this.messages] } });
    }
    if (event === 'message:send') {
      if (this.refuse.has(payload.body)) return Promise.resolve({ ok: false, error: { code: 'message_rejected', message: "This message can't be sent." } });
      if (this.failing.has(payload.body)) return Promise.resolve({ ok: false, error: { code: 'internal_error', message: 'Something went wrong' } });
      const file = payload.fileId ? this.files.get(payload.fileId) : undefined;
      if (payload.fileId && !file) return Promise.resolve({ ok: false, error: { code: 'not_found', message: 'File not found.' } });
      const m = this.add('visitor', payload.body, payload.clientId);
      if (file) m.file = file;
      if (this.loseAcks) return new Promise((_, reject) => this.pending.push(reject));
      return Promise.resolve({ ok: true, data: m });
    }
    if (event === 'chat:close' || event === 'rating:set' || event === 'transcript:send') {
      const refusal = this.refuseNext;
      this.refuseNext = null;
      if (refusal) return Promise.resolve({ ok: false, error: refusal });
    }
    if (event === 'chat:close') {
      if (this.conversation.status !== 'closed') this.add('system', 'Vic closed the chat');
      this.conversation.status = 'closed';
      return Promise.resolve({ ok: true, data: { ...this.conversation } });
    }
    if (event === 'rating:set') {
      const at = new Date().toISOString();
      const rating: RatingView = {
        conversationId: payload.conversationId,
        score: payload.score,
        comment: payload.comment ?? null,
        ratedAt: at,
        changeableUntil: at,
      };
      return Promise.resolve({ ok: true, data: rating });
    }
    if (event === 'transcript:send') return Promise.resolve({ ok: true, data: { to: payload.email } });
    if (event === 'chat:sync') return Promise.resolve({ ok: true, data: this.messages.filter((m) => m.seq > payload.afterSeq).slice(0, SYNC_PAGE_SIZE) });
    return Promise.resolve({ ok: true, data: null });
  }
}

export class FakeTransport implements Transport {
  connected = false;
  requests: { event: string; payload: any }[] = [];
  private handlers: Record<string, (...args: any[]) => void> = {};
  private onDown: (() => void)[] = [];
  constructor(readonly server: FakeServer) {}
  on<K extends keyof VisitorServerToClient>(event: K, fn: VisitorServerToClient[K]) {
    this.handlers[event] = fn as never;
  }
  onDisconnect(fn: () => void) {
    this.onDown.push(fn);
  }
  request(event: any, payload: any): Promise<any> {
    if (!this.connected) return Promise.reject(new Error('not connected'));
    this.requests.push({ event, payload });
    return this.server.handle(event, payload);
  }
  push<K extends keyof VisitorServerToClient>(event: K, ...args: Parameters<VisitorServerToClient[K]>) {
    this.handlers[event]!(...args);
  }
  /** Connects and delivers `session:started` with the first `page` messages of the chat. */
  async up(page = 50, token = 'token-1', visitorId = 'v1') {
    this.connected = true;
    const session: VisitorSession = {
      visitorId,
      visitorToken: token,
      accountName: 'Acme',
      operatorsAvailable: this.server.operatorsAvailable,
      departments: this.server.departments,
      chat: this.server.hasChat ? { conversation: { ...this.server.conversation }, messages: this.server.messages.slice(0, page) } : null,
      invitation: null,
    };
    this.push('session:started', session);
    await settle();
  }
  down() {
    this.connected = false;
    for (const reject of this.server.pending.splice(0)) reject(new Error('socket has been disconnected'));
    for (const fn of this.onDown) fn();
  }
  sends(): Payload<'message:send'>[] {
    return this.requests.filter((r) => r.event === 'message:send').map((r) => r.payload);
  }
}

export const settle = () => new Promise((r) => setTimeout(r, 0));

export function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: () => null,
    get length() {
      return m.size;
    },
  };
}

export function setup(
  storage = memoryStorage(),
  server = new FakeServer(),
  onChange: () => void = () => {},
  page: () => { url: string; title: string } = () => ({ url: 'https://shop.example/', title: 'Shop' }),
  files?: FileTransfer,
) {
  const transport = new FakeTransport(server);
  const store = createStore('acc1', storage);
  const ctrl = new ChatController(transport, store, () => onChange(), page, files);
  return { ctrl, transport, server, store, storage };
}
