import { AppError } from '../../../../shared/errors';
import type { Database } from '../../db/client';
import { isRefusedInput, sqlState } from '../../db/errors';
import type { Logger } from '../../log';
import { appendMessageBatch, type AppendResult, type NewMessage } from './repo';

export type WriteResult = Extract<AppendResult, { ok: true }>;

const REFUSALS: Record<Extract<AppendResult, { ok: false }>['code'], string> = {
  not_found: 'Conversation not found.',
  chat_closed: 'This chat is closed.',
  // #7 (W4): only the assigned operator answers the visitor.
  not_your_chat: "This is a colleague's chat: whisper to them, or take it over to reply.",
};

interface Pending {
  item: NewMessage;
  resolve: (r: WriteResult) => void;
  reject: (e: AppError) => void;
}

export interface MessageWriterOptions {
  /** Most messages one statement carries. */
  maxBatch?: number;
  /**
   * Batches committing at once, on separate connections (PostgreSQL; PGlite runs one query at a
   * time anyway). A batch waiting on a row lock (another node writing to the same chat) then
   * holds up only its own conversations.
   */
  maxInFlight?: number;
}

/**
 * Group commit for chat messages (Q1, #3). `write()` resolves only after the message's
 * statement has committed, so whoever acks after it never acks an unstored message.
 *
 * Messages that arrive in the same event-loop turn, or while a commit is running, go into the
 * next single statement (`appendMessageBatch`: one round trip, its own transaction): far fewer
 * commits than messages under load, no added wait when idle. Up to `maxInFlight` batches commit at once, over disjoint sets of conversations: a
 * conversation with a batch in flight gets its next messages only into a later one, so each
 * conversation's messages are stored in the order they arrived. Correct with several server
 * processes on one PostgreSQL because `append_messages` serialises on the conversation row lock.
 *
 * One message must not fail its batch neighbours (#4). A statement refused for its input (see
 * isRefusedInput) changed nothing, so the batch is split in two halves and each is run again,
 * the first before the second, down to the message that fails alone: that one gets the
 * permanent `message_rejected`, every other is stored. Halves keep arrival order and the
 * batch's conversations stay busy until all of it is settled, so the order guarantee above holds.
 * A failure that isn't the input's (the database down, the connection lost) fails the whole
 * batch with `internal_error` and is not split: nothing was stored and the senders resend.
 */
export class MessageWriter {
  /**
   * Committed statements and the messages they carried; statements that failed (each failing half
   * of a split batch counts); messages refused alone with message_rejected. Tests read these.
   */
  readonly stats = { transactions: 0, messages: 0, failedBatches: 0, rejected: 0 };

  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private queue: Pending[] = [];
  /** Conversations with a batch in flight. */
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  /** The drain scheduled for the end of this event-loop turn, if one is. */
  private scheduled: NodeJS.Immediate | null = null;
  private closed = false;

  constructor(
    private readonly database: Pick<Database, 'callJson'>,
    private readonly log: Logger,
    options: MessageWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
  }

  /**
   * Stores `item` (or finds it already stored under its clientId) and resolves after commit.
   * Rejects with AppError `not_found`, `chat_closed`, `not_your_chat` (#7: a public message from
   * an operator who is not the chat's), `message_rejected` if the database refuses
   * this message alone (permanent: resending it can't help), or `internal_error` if its batch
   * failed for another reason (nothing of it was stored; the client resends with the same clientId).
   */
  write(item: NewMessage): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new AppError('internal_error', 'The server is shutting down; send it again.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Stops accepting writes and waits until everything queued is committed (or failed). */
  async close(): Promise<void> {
    this.closed = true;
    while (this.queue.length > 0 || this.inFlight.size > 0) {
      this.drain();
      await Promise.race(this.inFlight);
    }
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight.size >= this.maxInFlight) return;
    // The messages of this event-loop turn (all that arrived in one I/O poll) go together; under
    // load the batches grow by themselves while a commit runs (#3). No timer: no added wait.
    this.scheduled = setImmediate(() => this.drain());
  }

  /** Starts batches while there are free slots and queued messages of idle conversations. */
  private drain(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    while (this.inFlight.size < this.maxInFlight) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      const run = this.commit(batch).finally(() => {
        this.inFlight.delete(run);
        for (const p of batch) this.busy.delete(p.item.conversationId);
        if (this.queue.length > 0) this.drain();
      });
      this.inFlight.add(run);
    }
  }

  /** The queued messages of conversations with nothing in flight, in arrival order; marks them busy. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const taken = new Set<string>();
    for (const p of this.queue) {
      const id = p.item.conversationId;
      if (batch.length < this.maxBatch && (taken.has(id) || !this.busy.has(id))) {
        batch.push(p);
        taken.add(id);
      } else {
        rest.push(p);
      }
    }
    this.queue = rest;
    for (const id of taken) this.busy.add(id);
    return batch;
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const results = await appendMessageBatch(
        this.database,
        batch.map((p) => p.item),
      );
      this.stats.transactions++;
      this.stats.messages += batch.length;
      results.forEach((r, i) => {
        const p = batch[i]!;
        if (r.ok) p.resolve(r);
        else p.reject(new AppError(r.code, REFUSALS[r.code]));
      });
    } catch (err) {
      this.stats.failedBatches++;
      if (!isRefusedInput(err)) {
        this.log.error(`Message batch of ${batch.length} failed; every sender gets internal_error and resends`, err);
        for (const p of batch) p.reject(new AppError('internal_error', 'The message was not stored; send it again.'));
        return;
      }
      if (batch.length === 1) {
        this.stats.rejected++;
        const { conversationId, clientId } = batch[0]!.item;
        // Code and message only: the error's detail may quote the message text (#4).
        this.log.warn(`Message ${clientId} of conversation ${conversationId} refused by the database (${sqlState(err)}: ${(err as Error).message})`);
        batch[0]!.reject(new AppError('message_rejected', "This message can't be sent. Please change it and try again."));
        return;
      }
      // One of these is refused for what it carries: run each half again (in order) to find it (#4).
      const half = Math.ceil(batch.length / 2);
      await this.commit(batch.slice(0, half));
      await this.commit(batch.slice(half));
    }
  }
}
