import { AppError } from '../../../../shared/errors';
import type { Db } from '../../db/client';
import type { Logger } from '../../log';
import { appendMessages, type AppendResult, type NewMessage } from './repo';

export type WriteResult = Extract<AppendResult, { ok: true }>;

/**
 * Group commit for chat messages (Q1, #3). `write()` resolves only after the message's
 * transaction has committed, so whoever acks after it never acks an unstored message.
 *
 * Messages that arrive in the same event-loop turn (or within `windowMs` of the first, if set), or
 * while a commit is running, go into the next single statement (`appendMessages`: one round trip, its own transaction): far fewer
 * commits than messages under load, one short wait when idle. Correct with several server
 * processes on one PostgreSQL because `appendMessages` serialises on the conversation row lock.
 */
export class MessageWriter {
  /** Committed transactions and the messages they carried (tests and the benchmark read these). */
  readonly stats = { transactions: 0, messages: 0, failedBatches: 0 };

  private queue: { item: NewMessage; resolve: (r: WriteResult) => void; reject: (e: AppError) => void }[] = [];
  /** Cancels the scheduled drain, if one is. */
  private cancelScheduled: (() => void) | null = null;
  private draining: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly windowMs = 0,
    private readonly maxBatch = 500,
  ) {}

  /**
   * Stores `item` (or finds it already stored under its clientId) and resolves after commit.
   * Rejects with AppError `not_found`, `chat_closed`, or `internal_error` if the batch failed
   * (nothing of it was stored; the client resends with the same clientId).
   */
  write(item: NewMessage): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new AppError('internal_error', 'The server is shutting down; send it again.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.cancelScheduled || this.draining) return;
      // 0: the messages of this event-loop turn (all that arrived in one I/O poll) go together;
      // under load the batches grow by themselves while a commit runs (#3).
      if (this.windowMs > 0) {
        const timer = setTimeout(() => this.startDrain(), this.windowMs);
        this.cancelScheduled = () => clearTimeout(timer);
      } else {
        const immediate = setImmediate(() => this.startDrain());
        this.cancelScheduled = () => clearImmediate(immediate);
      }
    });
  }

  /** Stops accepting writes and waits until everything queued is committed (or failed). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.cancelScheduled) this.startDrain();
    await this.draining;
  }

  private startDrain(): void {
    this.cancelScheduled?.();
    this.cancelScheduled = null;
    this.draining = this.drain().finally(() => {
      this.draining = null;
    });
  }

  private async drain(): Promise<void> {
    // Whatever queued up during a commit goes straight into the next one.
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await appendMessages(this.db, batch.map((p) => p.item));
        this.stats.transactions++;
        this.stats.messages += batch.length;
        results.forEach((r, i) => {
          const p = batch[i]!;
          if (r.ok) p.resolve(r);
          else p.reject(new AppError(r.code, r.code === 'chat_closed' ? 'This chat is closed.' : 'Conversation not found.'));
        });
      } catch (err) {
        this.stats.failedBatches++;
        this.log.error(`Message batch of ${batch.length} failed; every sender gets internal_error and resends`, err);
        for (const p of batch) p.reject(new AppError('internal_error', 'The message was not stored; send it again.'));
      }
    }
  }
}
