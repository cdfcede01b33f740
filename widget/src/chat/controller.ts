/**
 * The widget's chat logic without DOM: it reacts to the `/visitor` socket, keeps the state the
 * UI renders, and implements the visitor side of Q1 (outbox, resend with the same clientId,
 * catch-up with `chat:sync` on every reconnect). The socket is behind {@link Transport} so tests
 * can drive it with a fake.
 */
import type { VisitorAuth, VisitorClientToServer, VisitorServerToClient, VisitorSession, TypingView } from '../../../shared/events';
import type { MessageView, VisitorConversationView, VisitorConversationWithMessages } from '../../../shared/schemas/chats';
import type { VisitorInvitationView, PageViewPayload } from '../../../shared/schemas/visitors';
import type { DepartmentAvailability } from '../../../shared/schemas/routing';
import { isPermanentSendError } from '../../../shared/errors';
import {
  contiguousSeq,
  hasGap,
  isBehind,
  maxSeq,
  mergeMessages,
  newClientId,
  syncPages,
  TYPING_EXPIRES_MS,
  TYPING_IDLE_MS,
  TYPING_REPEAT_MS,
} from '../../../shared/protocol';
import type { FileView } from '../../../shared/schemas/files';
import type { FileTransfer } from '../files';
import type { Store } from '../storage';
import { EndOfChat } from './ending';
import { pruneOutbox, toOutcome, type OutboxItem, type Upload } from './state';

type Commands = VisitorClientToServer;
export type Payload<K extends keyof Commands> = Parameters<Commands[K]>[0];
export type Result<K extends keyof Commands> = Parameters<Parameters<Commands[K]>[1]>[0];

/** The little the controller needs from a Socket.IO client (see `../socket.ts`). */
export interface Transport {
  readonly connected: boolean;
  on<K extends keyof VisitorServerToClient>(event: K, fn: VisitorServerToClient[K]): void;
  onDisconnect(fn: () => void): void;
  /** Emits with an ack; rejects on timeout or when not connected (nothing is buffered). */
  request<K extends keyof Commands>(event: K, payload: Payload<K>): Promise<Result<K>>;
}

export interface ChatState {
  connected: boolean;
  /** A `session:started` arrived at least once. */
  ready: boolean;
  accountName: string;
  /** Someone of the account can take chats now (never how many, #4). */
  operatorsAvailable: boolean;
  /** A1 (#6): the account's departments, each with whether someone is available (the pre-chat form offers those). */
  departments: DepartmentAvailability[];
  /** The email of the pre-chat form (the last chat's): where the team replies while nobody is online. */
  email: string;
  conversation: VisitorConversationView | null;
  /** Confirmed messages, sorted by seq. */
  messages: MessageView[];
  /** Unacknowledged messages (all conversations), oldest first; persisted. */
  outbox: OutboxItem[];
  /** Files being uploaded, or whose upload failed (#5); each becomes an outbox message once stored. */
  uploads: Upload[];
  /** Name of the operator typing right now, or null. */
  typing: string | null;
  /** Operator messages received while the panel was closed. */
  unread: number;
  open: boolean;
  starting: boolean;
  /** Why the last chat:start failed: 'offline', 'error', 'rejected' (for good: change the question, #4) or the server's message. */
  startError: string;
  /** P4: an invitation to chat waiting for the visitor's answer (shown beside the launcher). */
  invitation: VisitorInvitationView | null;
  /** P4: accepting it is on its way; `invitationError` says why the last try failed. */
  accepting: boolean;
  invitationError: boolean;
}

export class ChatController {
  readonly state: ChatState;
  /** Ending the chat, rating it, its transcript by email (V2). */
  readonly ending: EndOfChat;
  private readonly onChange: () => void;
  private gen = 0;
  private pumping = false;
  private syncing: Promise<void> | null = null;
  private firstSession = true;
  private typingTimer?: ReturnType<typeof setTimeout>;
  private typingSentAt = 0;
  private typingIdle?: ReturnType<typeof setTimeout>;
  private startClientId: string | null = null;
  /** The URL of the last page view the server acknowledged: a reconnect on the same page doesn't repeat it (#4). */
  private recordedUrl: string | null = null;
  /** P5: the position last reported as displayed, and when. */
  private readSent = 0;
  private readFor = '';
  private readAt = 0;
  private readTimer?: ReturnType<typeof setTimeout>;
  /** P5: called for each new operator message that arrives live (the optional sound, `data-sound`). */
  onOperatorMessage?: () => void;

  constructor(
    private readonly transport: Transport,
    private readonly store: Store,
    onChange: () => void,
    /** What `page:view` reports on every (re)connect. */
    private readonly page: () => PageViewPayload,
    /** Uploads and fresh file URLs (#5); without it the widget sends text only. */
    private readonly files?: FileTransfer,
  ) {
    this.state = {
      connected: false,
      ready: false,
      accountName: '',
      operatorsAvailable: false,
      departments: [],
      email: '',
      conversation: null,
      messages: [],
      outbox: store.get<OutboxItem[]>('outbox', []).filter(isOutboxItem),
      uploads: [],
      typing: null,
      unread: 0,
      open: false,
      starting: false,
      startError: '',
      invitation: null,
      accepting: false,
      invitationError: false,
    };
    this.state.email = this.profile().email;
    this.ending = new EndOfChat(transport, store, this.state, () => this.onChange());
    // Each change of the chat is one for its end screen too (a close, a new chat).
    this.onChange = () => {
      this.ending.observe();
      onChange();
    };
    transport.on('session:started', (s) => void this.onSession(s));
    transport.on('message:sent', (m) => this.onMessage(m));
    transport.on('chat:updated', (c) => this.onConversation(c));
    transport.on('typing:updated', (t) => this.onTyping(t));
    transport.on('read:seen', (r) => this.onConversation({ ...this.state.conversation!, ...r, id: r.conversationId }));
    transport.on('availability:updated', (a) => this.set({ operatorsAvailable: a.operatorsAvailable, departments: a.departments }));
    transport.on('invitation:received', (i) => this.onInvitation(i));
    transport.on('invitation:closed', ({ invitationId }) => {
      if (this.state.invitation?.id === invitationId) this.set({ invitation: null, accepting: false });
    });
    transport.on('chat:opened', (c) => this.adopt(c, true));
    transport.onDisconnect(() => {
      this.gen++;
      this.set({ connected: false });
    });
  }

  // ── Server → widget ────────────────────────────────────────────────────────────────────

  private async onSession(s: VisitorSession): Promise<void> {
    const gen = ++this.gen;
    if (this.store.get('token', '') !== s.visitorToken) this.store.set('token', s.visitorToken);
    const st = this.state;
    const previous = this.store.get('visitor', '');
    if (previous !== s.visitorId) {
      // #4: the server knows us as someone else now (we were forgotten, or our token expired):
      // nothing of the old visitor's chat, unsent messages or contact details carries over.
      if (previous) this.forgetChat();
      this.store.set('visitor', s.visitorId);
    }
    const countUnread = !this.firstSession;
    this.firstSession = false;
    st.connected = true;
    st.ready = true;
    st.accountName = s.accountName;
    st.operatorsAvailable = s.operatorsAvailable;
    st.departments = s.departments;
    st.invitation = s.chat ? null : s.invitation;
    if (s.chat) {
      if (st.conversation?.id !== s.chat.conversation.id) st.messages = [];
      st.conversation = s.chat.conversation;
      this.applyMessages(s.chat.messages, countUnread);
    } else if (st.conversation && st.conversation.status !== 'closed') {
      // Our chat ended while we were away; show it as ended (the sync below fetches its last words).
      st.conversation = { ...st.conversation, status: 'closed' };
    } else if (!st.conversation) {
      // A chat that ended on another page (or before a reload) shows its end screen again (V2).
      st.conversation = this.ending.restore(s.visitorId);
    }
    // Failures of the last connection are worth another try on this one; refusals never are (#4).
    for (const o of st.outbox) if (o.failed && o.conversationId === st.conversation?.id && st.conversation.status !== 'closed') o.failed = false;
    this.onChange();
    void this.trackPage();
    if (st.conversation) await this.sync(countUnread);
    if (gen === this.gen) void this.pump();
  }

  /** P4: an invitation shows unless the visitor is in a chat already. */
  private onInvitation(i: VisitorInvitationView): void {
    const conv = this.state.conversation;
    if (conv && conv.status !== 'closed') return;
    this.set({ invitation: i, invitationError: false });
  }

  /**
   * P4: a chat the operator's side opened (started from the grid, or an invitation accepted here
   * or in another tab): it becomes the widget's chat, and the widget opens on it.
   */
  private adopt(c: VisitorConversationWithMessages, open: boolean): void {
    const st = this.state;
    if (st.conversation && st.conversation.status !== 'closed' && st.conversation.id !== c.conversation.id) return;
    if (st.conversation?.id !== c.conversation.id) st.messages = [];
    st.conversation = c.conversation;
    this.applyMessages(c.messages, false);
    st.invitation = null;
    st.accepting = false;
    if (open) this.setOpen(true);
    else this.onChange();
  }

  /**
   * Reports the page the visitor is on, unless the server already has it: after a server restart
   * thousands of widgets reconnect at once, and their pages are stored already (#4).
   */
  async trackPage(): Promise<void> {
    const page = this.page();
    if (page.url === this.recordedUrl || !this.transport.connected) return;
    try {
      if ((await this.transport.request('page:view', page)).ok) this.recordedUrl = page.url;
    } catch {
      /* not connected any more: the next session reports it */
    }
  }

  /**
   * What the handshake tells the server about the open chat we hold, so `session:started` carries
   * only the messages we lack (#4).
   */
  resumeHint(): Pick<VisitorAuth, 'chat'> {
    const c = this.state.conversation;
    // Up to the first gap: the server sends the missed messages again with the new ones.
    return c && c.status !== 'closed' ? { chat: { id: c.id, lastSeq: contiguousSeq(this.state.messages) } } : {};
  }

  private onMessage(m: MessageView): void {
    const c = this.state.conversation;
    if (!c || m.conversationId !== c.id) return;
    if (m.author === 'operator' && !this.state.messages.some((x) => x.seq === m.seq)) this.onOperatorMessage?.();
    this.applyMessages([m], true);
    if (m.author === 'operator') this.state.typing = null;
    this.onChange();
    if (hasGap(this.state.messages)) void this.sync(true);
  }

  private onConversation(c: VisitorConversationView): void {
    const cur = this.state.conversation;
    if (!cur || c.id !== cur.id) return;
    // P5: "Seen" never goes back (a chat:updated may be older than a read:seen).
    this.state.conversation = { ...c, seen: Math.max(c.seen, cur.seen) };
    if (c.status === 'closed') this.state.typing = null;
    this.onChange();
    if (isBehind(contiguousSeq(this.state.messages), c.lastSeq)) void this.sync(true);
  }

  private onTyping(t: TypingView): void {
    if (t.author !== 'operator' || t.conversationId !== this.state.conversation?.id) return;
    clearTimeout(this.typingTimer);
    this.set({ typing: t.typing ? t.name || '' : null });
    if (t.typing) this.typingTimer = setTimeout(() => this.set({ typing: null }), TYPING_EXPIRES_MS);
  }

  /** Merges confirmed messages, retires their outbox entries, counts unread operator messages. */
  private applyMessages(incoming: readonly MessageView[], countUnread: boolean): void {
    const st = this.state;
    const before = st.messages;
    st.messages = mergeMessages(before, incoming);
    if (countUnread && !st.open) {
      const known = new Set(before.map((m) => m.seq));
      st.unread += incoming.filter((m) => m.author === 'operator' && !known.has(m.seq)).length;
    }
    const outbox = pruneOutbox(st.outbox, incoming);
    if (outbox.length !== st.outbox.length) this.saveOutbox(outbox);
    const last = maxSeq(st.messages);
    if (st.conversation && st.conversation.lastSeq < last) st.conversation = { ...st.conversation, lastSeq: last };
  }

  /** Catch-up: everything after the unbroken run we hold, page by page. One sync at a time. */
  private sync(countUnread: boolean): Promise<void> {
    if (this.syncing) return this.syncing;
    const conv = this.state.conversation;
    if (!conv || !this.transport.connected) return Promise.resolve();
    const ours = () => {
      if (this.state.conversation?.id !== conv.id) throw new Error('the chat changed'); // its pages are not ours any more
    };
    const run = async () => {
      try {
        await syncPages({
          fetchPage: async (afterSeq) => {
            const res = await this.transport.request('chat:sync', { conversationId: conv.id, afterSeq });
            if (!res.ok) throw new Error(res.error.message);
            return res.data;
          },
          apply: (page) => {
            ours();
            if (!page.length) return;
            this.applyMessages(page, countUnread);
            this.onChange();
          },
          heldThrough: () => contiguousSeq(this.state.messages),
          lastSeq: () => this.state.conversation?.lastSeq ?? 0,
        });
      } catch {
        /* the next reconnect or chat:updated tries again */
      } finally {
        this.syncing = null;
      }
    };
    return (this.syncing = run());
  }

  /**
   * Sends the outbox of the current conversation, one message at a time and in order, each with
   * its own clientId. A timeout leaves the message queued (marked failed) for the next connect.
   */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const conv = this.state.conversation;
        const item = this.state.outbox.find((o) => !o.failed && !o.rejected && o.conversationId === conv?.id);
        if (!item || !conv || conv.status === 'closed' || !this.transport.connected) break;
        const gen = this.gen;
        const outcome = toOutcome(
          await this.transport
            .request('message:send', {
              conversationId: item.conversationId,
              clientId: item.clientId,
              body: item.body,
              ...(item.file ? { fileId: item.file.id } : {}),
            })
            .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))),
        );
        if (outcome.ok) {
          this.applyMessages([outcome.message], false);
          this.saveOutbox(this.state.outbox.filter((o) => o.clientId !== item.clientId));
        } else if (outcome.retry && gen !== this.gen) {
          continue; // the connection changed under us: resend on the new one
        } else if (outcome.retry) {
          this.saveOutbox(this.state.outbox.map((o) => (o.clientId === item.clientId ? { ...o, failed: true } : o)));
          this.onChange();
          break; // keep order: later messages wait behind this one
        } else {
          // Refused for good (#4): kept (persisted) to be shown as such, never resent, and it no
          // longer holds up the messages after it.
          this.saveOutbox(this.state.outbox.map((o) => (o.clientId === item.clientId ? { ...o, failed: false, rejected: true } : o)));
        }
        this.onChange();
      }
    } finally {
      this.pumping = false;
    }
  }

  private forgetChat(): void {
    Object.assign(this.state, { conversation: null, messages: [], typing: null, unread: 0, email: '', uploads: [] });
    this.saveOutbox([]);
    this.store.remove('profile');
  }

  private saveOutbox(outbox: OutboxItem[]): void {
    this.state.outbox = outbox;
    if (outbox.length) this.store.set('outbox', outbox);
    else this.store.remove('outbox');
  }

  private set(patch: Partial<ChatState>): void {
    Object.assign(this.state, patch);
    this.onChange();
  }

  /** Someone online for the visitor: of their chat's department (#6), else of the account. */
  online(): boolean {
    const id = this.state.conversation?.departmentId;
    const dept = id ? this.state.departments.find((d) => d.id === id) : undefined;
    return dept ? dept.available : this.state.operatorsAvailable;
  }

  /** The departments the pre-chat form may offer: those with someone online (#6). */
  offeredDepartments(): DepartmentAvailability[] {
    return this.state.departments.filter((d) => d.available);
  }

  // ── Widget → server (called by the UI) ──────────────────────────────────────────────────

  /** Pre-chat form → `chat:start`. A retry after a failure reuses the clientId (no double chat). */
  async startChat(form: { name: string; email: string; question: string; departmentId?: string }): Promise<void> {
    if (this.state.starting) return;
    this.set({ starting: true, startError: '' });
    const clientId = (this.startClientId ??= newClientId());
    try {
      // A visitor who submits while the socket (re)connects waits a moment rather than failing.
      for (let i = 0; i < 40 && !this.transport.connected; i++) await new Promise((r) => setTimeout(r, 200));
      if (!this.transport.connected) return this.set({ starting: false, startError: 'offline' });
      const res = await this.transport.request('chat:start', { clientId, ...form });
      if (!res.ok && isPermanentSendError(res.error.code)) {
        // The same form would be refused forever (#4): the visitor changes the question, which gets a new clientId.
        this.startClientId = null;
        return this.set({ starting: false, startError: 'rejected' });
      }
      if (!res.ok) return this.set({ starting: false, startError: res.error.message || 'error' });
      this.startClientId = null;
      this.store.set('profile', { name: form.name, email: form.email });
      this.state.email = form.email;
      this.state.conversation = res.data.conversation;
      this.state.messages = [];
      this.applyMessages(res.data.messages, false);
      this.set({ starting: false });
    } catch {
      this.set({ starting: false, startError: 'error' });
    }
  }

  /** P4: "Chat now" on an invitation: the chat starts with the operator's message, and the panel opens on it. */
  async acceptInvitation(): Promise<void> {
    const invitation = this.state.invitation;
    if (!invitation || this.state.accepting) return;
    this.set({ accepting: true, invitationError: false });
    const clientId = (this.startClientId ??= newClientId());
    try {
      const res = await this.transport.request('invitation:accept', { invitationId: invitation.id, clientId });
      this.startClientId = null;
      if (res.ok) return this.adopt(res.data, true);
      // Answered elsewhere, or the operator's side moved on: nothing to accept any more.
      this.set({ accepting: false, invitation: res.error.code === 'internal_error' ? invitation : null, invitationError: res.error.code === 'internal_error' });
    } catch {
      this.set({ accepting: false, invitationError: true });
    }
  }

  /** P4: "No thanks": remembered for the visit by the server; hidden here at once. */
  dismissInvitation(): void {
    const invitation = this.state.invitation;
    if (!invitation) return;
    this.set({ invitation: null, accepting: false });
    this.transport.request('invitation:dismiss', { invitationId: invitation.id }).catch(() => {});
  }

  /** Queues a message (shown at once as "sending…") and sends it when it can. */
  send(text: string): void {
    const body = text.trim();
    const conv = this.state.conversation;
    if (!body || !conv || conv.status === 'closed') return;
    this.stopTyping();
    const item: OutboxItem = { clientId: newClientId(), conversationId: conv.id, body, createdAt: new Date().toISOString() };
    this.saveOutbox([...this.state.outbox, item]);
    this.onChange();
    void this.pump();
  }

  /** Tries a failed message again, with the same clientId. */
  retry(clientId: string): void {
    this.saveOutbox(this.state.outbox.map((o) => (o.clientId === clientId ? { ...o, failed: false } : o)));
    this.onChange();
    void this.pump();
  }

  /** Removes an unsent message (one refused for good, #4) or a failed upload from the outbox and the list. */
  discard(clientId: string): void {
    this.state.uploads = this.state.uploads.filter((u) => u.clientId !== clientId);
    this.saveOutbox(this.state.outbox.filter((o) => o.clientId !== clientId));
    this.onChange();
  }

  /**
   * Sends files (#5, P7): each is uploaded (its progress shown), then sent as a message through
   * the outbox like text, with a clientId of its own: an upload that finished is resent after a
   * reconnect, never uploaded or stored twice.
   */
  sendFiles(files: readonly (Blob & { name?: string })[]): void {
    const conv = this.state.conversation;
    if (!this.files || !conv || conv.status === 'closed') return;
    for (const blob of files) {
      const upload: Upload = {
        clientId: newClientId(),
        conversationId: conv.id,
        blob,
        name: blob.name || 'file',
        size: blob.size,
        createdAt: new Date().toISOString(),
        progress: 0,
      };
      this.state.uploads = [...this.state.uploads, upload];
      void this.runUpload(upload);
    }
    this.onChange();
  }

  /** Tries a failed upload again (same clientId). */
  retryUpload(clientId: string): void {
    const upload = this.state.uploads.find((u) => u.clientId === clientId);
    if (upload) void this.runUpload(upload);
  }

  private async runUpload(upload: Upload): Promise<void> {
    const patch = (p: Partial<Upload>) => {
      this.state.uploads = this.state.uploads.map((u) => (u.clientId === upload.clientId ? { ...u, ...p } : u));
      this.onChange();
    };
    patch({ progress: 0, error: undefined, refused: false });
    let file: FileView;
    try {
      file = await this.files!.upload(upload.conversationId, upload.blob, (progress) => patch({ progress }));
    } catch (err) {
      const code = (err as { code?: string }).code;
      // Size and type refusals are for good: the server's message says what is accepted.
      const refused = code === 'file_too_large' || code === 'file_type_not_allowed' || code === 'validation_failed' || code === 'chat_closed';
      return patch({ error: refused ? (err as Error).message : '', refused });
    }
    if (!this.state.uploads.some((u) => u.clientId === upload.clientId)) return; // removed meanwhile
    this.state.uploads = this.state.uploads.filter((u) => u.clientId !== upload.clientId);
    this.saveOutbox([...this.state.outbox, { clientId: upload.clientId, conversationId: upload.conversationId, body: '', createdAt: upload.createdAt, file }]);
    this.onChange();
    void this.pump();
  }

  /** Whether files can be sent here (the widget was given a way to upload them). */
  get canSendFiles(): boolean {
    return !!this.files;
  }

  /** The address of a file's bytes, for a link or an image. */
  fileHref(file: FileView): string {
    return this.files ? this.files.href(file) : file.url;
  }

  /**
   * A fresh signed URL for a file whose URL stopped working (#5: they expire after about an hour),
   * put into the messages that carry it. Null if it can't be had.
   */
  async refreshFile(fileId: string): Promise<FileView | null> {
    const file = await this.files?.refresh(fileId).catch(() => null);
    if (!file) return null;
    this.state.messages = this.state.messages.map((m) => (m.file?.id === fileId ? { ...m, file } : m));
    this.saveOutbox(this.state.outbox.map((o) => (o.file?.id === fileId ? { ...o, file } : o)));
    this.onChange();
    return file;
  }

  /** Takes an unsent message back for editing: removed like {@link discard}, its text returned for the composer. */
  edit(clientId: string): string {
    const body = this.state.outbox.find((o) => o.clientId === clientId)?.body ?? '';
    this.discard(clientId);
    return body;
  }

  /** Leaves an ended chat for a fresh pre-chat form; unsent messages of it are dropped. */
  newChat(): void {
    const old = this.state.conversation?.id;
    this.saveOutbox(this.state.outbox.filter((o) => o.conversationId !== old));
    this.set({ conversation: null, messages: [], typing: null, startError: '', uploads: [] });
  }

  /** The visitor is typing: tell the operator now and then, and stop after a pause. */
  typing(): void {
    const conv = this.state.conversation;
    if (!conv || conv.status === 'closed' || !this.transport.connected) return;
    const now = Date.now();
    if (now - this.typingSentAt > TYPING_REPEAT_MS) {
      this.typingSentAt = now;
      this.transport.request('typing:set', { conversationId: conv.id, typing: true }).catch(() => {});
    }
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    clearTimeout(this.typingIdle);
    const conv = this.state.conversation;
    if (!this.typingSentAt || !conv) return;
    this.typingSentAt = 0;
    if (this.transport.connected) this.transport.request('typing:set', { conversationId: conv.id, typing: false }).catch(() => {});
  }

  /**
   * P5: the visitor sees the chat (open, page visible): tell the server the last message shown,
   * by the position the widget holds it at; at most once a second.
   */
  markShown(): void {
    const c = this.state.conversation;
    const top = maxSeq(this.state.messages);
    if (!c || !this.state.open || (c.id === this.readFor && top <= this.readSent) || !this.transport.connected || this.readTimer) return;
    const wait = this.readAt + 1000 - Date.now();
    if (wait > 0) return void (this.readTimer = setTimeout(() => ((this.readTimer = undefined), this.markShown()), wait));
    this.readSent = top;
    this.readFor = c.id;
    this.readAt = Date.now();
    this.transport.request('read:mark', { conversationId: c.id, seq: top }).catch(() => (this.readSent = 0));
  }

  setOpen(open: boolean): void {
    this.set(open ? { open, unread: 0 } : { open });
  }

  /** Name and email from the last chat, to prefill the form. */
  profile(): { name: string; email: string } {
    const p = this.store.get<{ name?: unknown; email?: unknown }>('profile', {});
    return { name: typeof p.name === 'string' ? p.name : '', email: typeof p.email === 'string' ? p.email : '' };
  }
}

function isOutboxItem(o: unknown): o is OutboxItem {
  const x = o as OutboxItem;
  return !!x && typeof x.clientId === 'string' && typeof x.conversationId === 'string' && typeof x.body === 'string';
}
