/**
 * A protocol client that behaves like the widget and the extension do (Q1), for the fault
 * tests and the load generator:
 *  - every send has a client id and stays in an outbox until the server acks it (= committed);
 *    after a reconnect (or an ack timeout) the outbox is resent in order with the same client ids;
 *  - each followed conversation is a gap-free stream ordered by `seq`: live `message:sent`
 *    events, acks of our own sends and `chat:sync` answers all feed it, and `onMessage` sees each
 *    seq exactly once, in order; a gap or a reconnect triggers `chat:sync` from the last seq seen.
 * Its rules are the real clients' (#5): client ids, the gap rule and `chat:sync` paging from
 * shared/protocol, which refusals are for good from shared/errors. Where they keep a list and
 * merge into it, it keeps a stream (a held-back buffer past a gap) so the bench stays lean.
 * It keeps counters of what happened on the wire so tests and the bench can assert on them.
 */
import { io, type Socket } from 'socket.io-client';
import { isPermanentSendError, type Ack } from '../../shared/errors';
import { OPERATOR_NAMESPACE, VISITOR_NAMESPACE, type OperatorAuth, type VisitorAuth, type VisitorSession } from '../../shared/events';
import { isGap, newClientId, syncPages } from '../../shared/protocol';
import { retryDelay, type ReconnectSettings } from '../../shared/reconnect';
import type { ChatStartPayload, ConversationView, ConversationWithMessages, MessageView } from '../../shared/schemas/chats';

export type Role = 'visitor' | 'operator';

export interface ChatClientOptions {
  /** Server base URL, e.g. http://127.0.0.1:3000 (several for multi-node: tried in turn on reconnect). */
  url: string | string[];
  role: Role;
  auth: VisitorAuth | OperatorAuth;
  /** Called once per seq of every followed conversation, in seq order. */
  onMessage?: (message: MessageView) => void;
  /** Keep every delivered message in `history` (tests); the bench turns it off to stay lean. */
  keepHistory?: boolean;
  /** How long to wait for an ack before resending on the same connection. */
  ackTimeoutMs?: number;
  reconnectionDelayMs?: number;
  /** The real clients' reconnection settings (shared/reconnect.ts); overrides `reconnectionDelayMs`. */
  reconnection?: ReconnectSettings;
  /** A gap that live events don't fill within this time is fetched with `chat:sync`. */
  gapSyncDelayMs?: number;
  /**
   * What the real client does on every (re)connect besides syncing (the widget's `page:view`, the
   * panel's `chat:list` and `visitor:list`); awaited before `onResynced`.
   */
  onConnectWork?: (client: ChatClient) => Promise<unknown>;
  /** After every (re)connect, once `onConnectWork` and the catch-up of every followed conversation are done. */
  onResynced?: () => void;
}

interface Outgoing {
  conversationId: string;
  clientId: string;
  body: string;
  /** Connection generation this was last emitted on; -1 = must be (re)sent. */
  sentOn: number;
  attempts: number;
  resolve: (m: MessageView) => void;
  reject: (e: Error) => void;
}

interface Stream {
  lastSeq: number;
  /** Messages past a gap, waiting for the missing seqs. */
  ahead: Map<number, MessageView>;
  syncing: boolean;
  gapTimer: NodeJS.Timeout | null;
}

/** The clients' one client id generator (shared/protocol), for tests that build payloads by hand. */
export { newClientId };

export class ChatClient {
  readonly socket: Socket;
  readonly role: Role;
  session: VisitorSession | null = null;
  readonly history = new Map<string, MessageView[]>();
  readonly stats = {
    connects: 0,
    disconnects: 0,
    connectErrors: 0,
    /** `message:sent` events whose seq we already had (the client drops them). */
    wireDuplicates: 0,
    syncs: 0,
    resends: 0,
  };

  private readonly opts: Required<Omit<ChatClientOptions, 'onMessage' | 'url' | 'auth' | 'role' | 'onConnectWork' | 'onResynced' | 'reconnection'>> &
    ChatClientOptions;
  private readonly streams = new Map<string, Stream>();
  private readonly outbox: Outgoing[] = [];
  private generation = 0;
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  private readonly urls: string[];
  private urlIndex = 0;

  constructor(options: ChatClientOptions) {
    this.opts = { keepHistory: true, ackTimeoutMs: 5_000, reconnectionDelayMs: 200, gapSyncDelayMs: 250, ...options };
    this.role = options.role;
    this.urls = Array.isArray(options.url) ? options.url : [options.url];
    const ns = options.role === 'visitor' ? VISITOR_NAMESPACE : OPERATOR_NAMESPACE;
    this.socket = io(this.urls[0] + ns, {
      // Established widgets and the extension use websocket only: no long-polling upgrade dance.
      transports: ['websocket'],
      auth: { ...options.auth },
      ...(options.reconnection ?? {
        reconnectionDelay: this.opts.reconnectionDelayMs,
        reconnectionDelayMax: this.opts.reconnectionDelayMs * 5,
        randomizationFactor: 0.2,
      }),
      autoConnect: false,
      forceNew: true,
    });
    this.socket.on('connect', () => {
      this.stats.connects += 1;
      // A visitor is ready when its session arrives; an operator as soon as it is connected.
      if (this.role === 'operator') this.onReady();
    });
    this.socket.on('session:started', (session: VisitorSession) => {
      this.session = session;
      // Reconnect as the same visitor (the widget keeps the token in localStorage).
      (this.socket.auth as VisitorAuth).visitorToken = session.visitorToken;
      if (session.chat && !this.streams.has(session.chat.conversation.id)) this.follow(session.chat.conversation.id, 0);
      this.onReady();
    });
    this.socket.on('disconnect', () => {
      this.stats.disconnects += 1;
      this.ready = false;
      this.generation += 1; // every in-flight send must go again on the next connection
    });
    this.socket.on('connect_error', (err: Error & { data?: { retryAfterMs?: number } }) => {
      this.stats.connectErrors += 1;
      // Refused by the server's middleware (not a transport failure): Socket.IO does not retry by
      // itself. A server shedding load says when to come back (#4); wait that long, jittered.
      const retryAfterMs = err.data?.retryAfterMs;
      if (!this.socket.active && typeof retryAfterMs === 'number') {
        setTimeout(() => this.socket.connect(), retryDelay(retryAfterMs));
      }
    });
    this.socket.io.on('reconnect_attempt', () => this.rotateUrl());
    this.socket.on('message:sent', (m: MessageView) => this.accept(m, true));
  }

  /** Connect and resolve once ready (visitor: `session:started` received). */
  async connect(timeoutMs = 10_000): Promise<this> {
    this.socket.connect();
    await this.waitReady(timeoutMs);
    return this;
  }

  get connected(): boolean {
    return this.ready && this.socket.connected;
  }

  /** Resolves when connected and ready (immediately if already). */
  waitReady(timeoutMs = 10_000): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.role} not ready within ${timeoutMs} ms`)), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** One command with its ack; rejects on error ack or timeout. */
  async request<T>(event: string, payload: unknown, timeoutMs = this.opts.ackTimeoutMs): Promise<T> {
    const res = (await this.socket.timeout(timeoutMs).emitWithAck(event, payload)) as Ack<T>;
    if (!res.ok) throw Object.assign(new Error(`${event}: ${res.error.code} ${res.error.message}`), { code: res.error.code });
    return res.data;
  }

  /** Visitor: start a chat (idempotent by clientId) and follow it. */
  async startChat(payload: Omit<ChatStartPayload, 'clientId'> & { clientId?: string }): Promise<ConversationWithMessages> {
    const res = await this.request<ConversationWithMessages>('chat:start', { clientId: newClientId('s'), ...payload });
    this.follow(res.conversation.id, 0);
    for (const m of res.messages) this.accept(m, false);
    return res;
  }

  /** Operator: accept a waiting chat and follow it from its first message. */
  async acceptChat(conversationId: string): Promise<ConversationView> {
    const view = await this.request<ConversationView>('chat:accept', { conversationId });
    this.follow(conversationId, 0);
    void this.sync(conversationId);
    return view;
  }

  /** Follow a conversation: its messages after `afterSeq` reach `onMessage`, in order. */
  follow(conversationId: string, afterSeq: number): void {
    if (this.streams.has(conversationId)) return;
    this.streams.set(conversationId, { lastSeq: afterSeq, ahead: new Map(), syncing: false, gapTimer: null });
    if (this.opts.keepHistory) this.history.set(conversationId, []);
  }

  lastSeq(conversationId: string): number {
    return this.streams.get(conversationId)?.lastSeq ?? 0;
  }

  /** Messages not yet acknowledged by the server. */
  get pending(): number {
    return this.outbox.length;
  }

  /**
   * Send a message; resolves with the stored message once the server acked it (= committed).
   * Survives disconnects: the message is resent with the same client id until acked.
   */
  send(conversationId: string, body: string, clientId = newClientId('m')): Promise<MessageView> {
    return new Promise((resolve, reject) => {
      this.outbox.push({ conversationId, clientId, body, sentOn: -1, attempts: 0, resolve, reject });
      this.flush();
    });
  }

  /** Fetch everything after the last seq seen (what the clients do after a reconnect); false if it could not finish. */
  async sync(conversationId: string): Promise<boolean> {
    const stream = this.streams.get(conversationId);
    if (!stream || stream.syncing || !this.connected) return false;
    stream.syncing = true;
    this.stats.syncs += 1;
    try {
      await syncPages({
        fetchPage: (afterSeq) => this.request<MessageView[]>('chat:sync', { conversationId, afterSeq }),
        apply: (page) => page.forEach((m) => this.accept(m, false)),
        heldThrough: () => stream.lastSeq,
      });
      stream.syncing = false;
      this.watchGap(conversationId, stream);
      return true;
    } catch {
      stream.syncing = false; // disconnected meanwhile: the next connection syncs again
      return false;
    }
  }

  close(): void {
    for (const s of this.streams.values()) if (s.gapTimer) clearTimeout(s.gapTimer);
    this.socket.disconnect();
    this.socket.io.engine?.close();
  }

  private onReady(): void {
    this.ready = true;
    const generation = this.generation;
    const work = [...[...this.streams.keys()].map((id) => this.sync(id)), this.opts.onConnectWork?.(this)];
    if (this.opts.onResynced) {
      void Promise.all(work).then(
        (results) => {
          if (this.generation === generation && results.every((r) => r !== false)) this.opts.onResynced?.();
        },
        () => undefined, // the connection broke meanwhile: the next one reports
      );
    }
    this.flush();
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w();
  }

  private rotateUrl(): void {
    if (this.urls.length < 2) return;
    // Multi-node without a load balancer in front: try the next node (io.uri is read on each attempt).
    this.urlIndex = (this.urlIndex + 1) % this.urls.length;
    (this.socket.io as unknown as { uri: string }).uri = this.urls[this.urlIndex]!;
  }

  /** Emit every outbox entry not yet sent on this connection, in order (pipelined). */
  private flush(): void {
    if (!this.connected) return;
    const gen = this.generation;
    for (const out of this.outbox) {
      if (out.sentOn === gen) continue;
      if (out.attempts > 0) this.stats.resends += 1;
      out.sentOn = gen;
      out.attempts += 1;
      const payload = { conversationId: out.conversationId, clientId: out.clientId, body: out.body };
      this.socket.timeout(this.opts.ackTimeoutMs).emit('message:send', payload, (err: Error | null, res?: Ack<MessageView>) => {
        if (!this.outbox.includes(out)) return; // settled by an earlier attempt
        if (err || !res) {
          // Timed out: resend if this connection is still the one we sent on (else reconnect resends).
          if (out.sentOn === gen && this.generation === gen) {
            out.sentOn = -1;
            this.flush();
          }
          return;
        }
        if (res.ok) {
          this.outbox.splice(this.outbox.indexOf(out), 1);
          this.accept(res.data, false);
          out.resolve(res.data);
        } else if (!isPermanentSendError(res.error.code)) {
          out.sentOn = -1;
          setTimeout(() => this.flush(), 200);
        } else {
          this.outbox.splice(this.outbox.indexOf(out), 1);
          out.reject(Object.assign(new Error(`message:send: ${res.error.code} ${res.error.message}`), { code: res.error.code }));
        }
      });
    }
  }

  /** Feed one message into its conversation's stream; deliver what became contiguous. */
  private accept(m: MessageView, live: boolean): void {
    const stream = this.streams.get(m.conversationId);
    if (!stream) return; // not ours (e.g. an operator broadcast of another chat)
    if (m.seq <= stream.lastSeq || stream.ahead.has(m.seq)) {
      // Acks and sync answers overlap live events by design; a live event seen twice is a wire duplicate.
      if (live) this.stats.wireDuplicates += 1;
      return;
    }
    if (isGap(stream.lastSeq, m.seq)) {
      // Held back until the seqs before it come: live, or by the sync the gap calls for.
      stream.ahead.set(m.seq, m);
      this.watchGap(m.conversationId, stream);
      return;
    }
    for (let next: MessageView | undefined = m; next; next = stream.ahead.get(stream.lastSeq + 1)) {
      stream.ahead.delete(next.seq);
      stream.lastSeq = next.seq;
      if (this.opts.keepHistory) this.history.get(next.conversationId)?.push(next);
      this.opts.onMessage?.(next);
    }
    this.watchGap(m.conversationId, stream); // a later gap may still be open
  }

  private watchGap(conversationId: string, stream: Stream): void {
    if (stream.ahead.size === 0 || stream.gapTimer) return;
    // Acks and broadcasts of one commit batch can cross: give live events a moment, then sync.
    stream.gapTimer = setTimeout(() => {
      stream.gapTimer = null;
      if (stream.ahead.size > 0) void this.sync(conversationId);
    }, this.opts.gapSyncDelayMs);
  }
}
