/**
 * The end of a chat on the visitor's side (V2, #5), without DOM: ending it (`chat:close`), rating
 * it (`rating:set`: a thumb, then an optional comment, or skipped) and asking for the transcript
 * by email (`transcript:send`). Whichever side ended the chat, its end screen stays for an hour
 * across page changes (localStorage), until the visitor starts a new chat.
 */
import type { VisitorConversationView } from '../../../shared/schemas/chats';
import type { RatingScore, RatingView } from '../../../shared/schemas/ratings';
import type { Store } from '../storage';
import type { ChatState, Transport } from './controller';

/** Where the visitor is with the rating: asked; thumb given (stored), comment open; done; skipped. */
export type RatingStep = 'ask' | 'comment' | 'thanks' | 'skipped';
/** The transcript: not asked; the address form is open; on its way; sent. */
export type TranscriptStep = 'idle' | 'form' | 'sending' | 'sent';

export interface EndingState {
  /** The ended conversation this is about; null while none is shown. */
  conversationId: string | null;
  /** `chat:close` is on its way. */
  ending: boolean;
  step: RatingStep;
  score: RatingScore | null;
  /** `rating:set` is on its way. */
  saving: boolean;
  transcript: TranscriptStep;
  /** Where the transcript went. */
  transcriptTo: string;
  /** Why the last action failed: 'offline', or the server's words. Cleared by the next action. */
  error: { action: 'end' | 'rate' | 'transcript'; message: string } | null;
}

/** How long an ended chat's screen survives page changes and reloads. */
export const KEEP_ENDED_MS = 60 * 60_000;
const KEY = 'ended';

/** What is kept in localStorage of an ended chat. */
interface SavedEnding {
  visitorId: string;
  conversation: VisitorConversationView;
  endedAt: number;
  step: RatingStep;
  score: RatingScore | null;
  transcriptTo: string;
}

const fresh = (conversationId: string | null): EndingState => ({
  conversationId,
  ending: false,
  step: 'ask',
  score: null,
  saving: false,
  transcript: 'idle',
  transcriptTo: '',
  error: null,
});

export class EndOfChat {
  readonly state: EndingState = fresh(null);
  private endedAt = 0;

  constructor(
    private readonly transport: Transport,
    private readonly store: Store,
    /** The chat controller's state (its conversation is the one that ends). */
    private readonly chat: ChatState,
    private readonly changed: () => void,
  ) {
    transport.on('rating:updated', (r) => this.onRating(r));
  }

  /**
   * Follows the chat after each of its changes: a conversation that closed gets a fresh end
   * screen; a new chat, or the pre-chat form after a session, ends it.
   */
  observe(): void {
    const conv = this.chat.conversation;
    if (conv?.status === 'closed') {
      if (conv.id === this.state.conversationId) return;
      Object.assign(this.state, fresh(conv.id));
      this.endedAt = Date.now();
      this.save();
    } else if (this.state.conversationId && (conv || this.chat.ready)) {
      Object.assign(this.state, fresh(null));
      this.store.remove(KEY);
    }
  }

  /**
   * The chat this visitor ended less than an hour ago on another page (or before a reload), as
   * the widget shows it again; null if none.
   */
  restore(visitorId: string): VisitorConversationView | null {
    const saved = this.store.get<SavedEnding | null>(KEY, null);
    if (!saved?.conversation?.id || saved.visitorId !== visitorId || !(Date.now() - saved.endedAt < KEEP_ENDED_MS)) {
      this.store.remove(KEY);
      return null;
    }
    Object.assign(this.state, fresh(saved.conversation.id), {
      step: saved.step,
      score: saved.score,
      transcriptTo: saved.transcriptTo,
      transcript: saved.transcriptTo ? 'sent' : 'idle',
    });
    this.endedAt = saved.endedAt;
    return { ...saved.conversation, status: 'closed' };
  }

  /** The visitor ends the chat (after confirming it). */
  async end(): Promise<void> {
    const conv = this.chat.conversation;
    if (!conv || conv.status === 'closed' || this.state.ending) return;
    this.set({ ending: true, error: null });
    const res = await this.call('end', () => this.transport.request('chat:close', { conversationId: conv.id }));
    // Normally `chat:updated` said it first; the answer is the same news.
    if (res && this.chat.conversation?.id === conv.id) this.chat.conversation = res;
    this.set({ ending: false });
  }

  /** A thumb (stored at once), or the thumb with its comment (`comment` given: the rating is done). */
  async rate(score: RatingScore, comment?: string): Promise<void> {
    const id = this.state.conversationId;
    if (!id || this.state.saving) return;
    const before = this.state.score;
    this.set({ score, saving: true, error: null });
    const text = comment?.trim();
    const res = await this.call('rate', () => this.transport.request('rating:set', { conversationId: id, score, ...(text ? { comment: text } : {}) }));
    if (id !== this.state.conversationId) return;
    if (res) this.set({ saving: false, score: res.score, step: comment === undefined ? 'comment' : 'thanks' });
    else this.set({ saving: false, score: before });
    this.save();
  }

  /** No rating (asked), or no comment (the thumb is stored already). */
  skip(): void {
    if (!this.state.conversationId) return;
    this.set({ step: this.state.step === 'comment' ? 'thanks' : 'skipped', error: null });
    this.save();
  }

  /** Opens the address form of "email me the transcript". */
  openTranscript(): void {
    if (this.state.transcript === 'idle') this.set({ transcript: 'form', error: null });
  }

  async sendTranscript(email: string): Promise<void> {
    const id = this.state.conversationId;
    if (!id || this.state.transcript === 'sending') return;
    this.set({ transcript: 'sending', error: null });
    const res = await this.call('transcript', () => this.transport.request('transcript:send', { conversationId: id, email: email.trim() }));
    if (id !== this.state.conversationId) return;
    this.set(res ? { transcript: 'sent', transcriptTo: res.to } : { transcript: 'form' });
    this.save();
  }

  /** Runs a command; on failure records why (for the UI) and returns null. */
  private async call<T>(
    action: NonNullable<EndingState['error']>['action'],
    request: () => Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>,
  ): Promise<T | null> {
    try {
      const res = await request();
      if (res.ok) return res.data;
      this.state.error = { action, message: res.error.message };
    } catch {
      this.state.error = { action, message: 'offline' };
    }
    return null;
  }

  /** Another tab of this visitor rated the chat. */
  private onRating(r: RatingView): void {
    if (r.conversationId !== this.state.conversationId) return;
    this.set({ score: r.score, step: r.comment ? 'thanks' : this.state.step === 'ask' ? 'comment' : this.state.step });
    this.save();
  }

  private save(): void {
    const conv = this.chat.conversation;
    const { conversationId, step, score, transcriptTo } = this.state;
    if (!conv || conv.id !== conversationId) return;
    const saved: SavedEnding = { visitorId: this.store.get('visitor', ''), conversation: conv, endedAt: this.endedAt, step, score, transcriptTo };
    this.store.set(KEY, saved);
  }

  private set(patch: Partial<EndingState>): void {
    Object.assign(this.state, patch);
    this.changed();
  }
}
