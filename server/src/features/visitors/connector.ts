import type { Database } from '../../db/client';
import { isRefusedInput, sqlState } from '../../db/errors';
import type { Logger } from '../../log';
import { connectVisitors, type VisitorConnection, type VisitorConnectRequest } from './repo';

interface Pending {
  request: VisitorConnectRequest;
  resolve: (c: VisitorConnection) => void;
  reject: (e: Error) => void;
}

export interface VisitorConnectorOptions {
  /** Most handshakes one statement carries. */
  maxBatch?: number;
  /** Statements running at once (PostgreSQL; PGlite runs one query at a time anyway). */
  maxInFlight?: number;
}

/**
 * Group commit for widget handshakes (#4: the reconnect storm after a restart). `connect()`
 * resolves with the handshake's visitor once the statement that carried it has committed.
 *
 * Handshakes that arrive in the same event-loop turn, or while a statement is running, go into
 * the next single `connect_visitors` call: after a restart thousands of widgets reconnect within
 * seconds, and one statement each kept the database busy (1.5 ms of PGlite's thread each, a
 * commit each on PostgreSQL) in front of the messages of the chats still talking; a batch of 32
 * costs a tenth of that per handshake. No timer: a lone handshake goes at once.
 *
 * One handshake must not fail its neighbours (#4, as in MessageWriter): a statement refused for
 * its input changed nothing, so the batch is split in halves and each run again, down to the one
 * that fails alone. A failure that isn't the input's (the database down) fails the whole batch:
 * those widgets are refused and come back.
 */
export class VisitorConnector {
  /** Statements run and the handshakes they carried (tests and the storm bench read these). */
  readonly stats = { statements: 0, handshakes: 0, failedBatches: 0 };

  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled: NodeJS.Immediate | null = null;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly database: Pick<Database, 'callJson'>,
    private readonly log: Logger,
    options: VisitorConnectorOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 128;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
  }

  /** Handshakes waiting for the next statement. */
  get queued(): number {
    return this.queue.length;
  }

  /** Waits until every queued handshake's statement has run (before the database closes). */
  async close(): Promise<void> {
    while (this.queue.length > 0 || this.running.size > 0) {
      this.drain();
      await Promise.race(this.running);
    }
  }

  connect(request: VisitorConnectRequest): Promise<VisitorConnection> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.scheduled && this.inFlight < this.maxInFlight) this.scheduled = setImmediate(() => this.drain());
    });
  }

  private drain(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      const run: Promise<void> = this.run(batch).finally(() => {
        this.inFlight--;
        this.running.delete(run);
        if (this.queue.length > 0) this.drain();
      });
      this.running.add(run);
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    try {
      const connections = await connectVisitors(
        this.database,
        batch.map((p) => p.request),
      );
      this.stats.statements++;
      this.stats.handshakes += batch.length;
      connections.forEach((c, i) => batch[i]!.resolve(c));
    } catch (err) {
      this.stats.failedBatches++;
      if (!isRefusedInput(err) || batch.length === 1) {
        if (batch.length > 1) this.log.error(`Handshake batch of ${batch.length} failed; every widget of it is refused and comes back`, err);
        else if (isRefusedInput(err)) this.log.warn(`A widget handshake was refused by the database (${sqlState(err)}: ${(err as Error).message})`);
        for (const p of batch) p.reject(err as Error);
        return;
      }
      // One of these is refused for what it carries: run each half again to find it (#4).
      const half = Math.ceil(batch.length / 2);
      await this.run(batch.slice(0, half));
      await this.run(batch.slice(half));
    }
  }
}
