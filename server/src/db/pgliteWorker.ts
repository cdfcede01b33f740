/**
 * PGlite in a worker thread (#3). PGlite runs PostgreSQL compiled to WASM synchronously on the
 * thread that calls it: on the main thread every query stopped Socket.IO for its duration (about
 * 1 ms a message batch), which capped the embedded server near 500 committed msg/s. Here the
 * database has a thread of its own and the main thread only posts SQL text and gets rows back.
 *
 * `PGliteWorkerClient` offers the part of PGlite's API that Drizzle's PGlite driver uses
 * (`query`, `transaction`) plus `exec`, `callJson` and `close`. Transactions keep PGlite's own
 * semantics: inside the worker they are PGlite transactions, which hold every other query until
 * they end.
 */
import { Worker } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';

type QueryOptions = { rowMode?: 'object' | 'array'; parsers?: Record<number, (value: string) => unknown> };
type Results = Awaited<ReturnType<PGlite['query']>>;

/** What the worker is asked to do (`tx`: inside that open transaction). */
export type WorkerRequest =
  | { op: 'open'; dataDir: string }
  | { op: 'query'; text: string; params: unknown[]; rowMode: 'object' | 'array'; rawTypes: number[]; tx?: number }
  | { op: 'exec'; text: string; tx?: number }
  | { op: 'callJson'; fn: string; json: string }
  | { op: 'begin' }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'close' };

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: Record<string, unknown> & { message: string } };

const WORKER_URL = new URL('./pgliteWorker.boot.mjs', import.meta.url);

export class PGliteWorkerClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  closed = false;
  private markLost!: (err: Error) => void;
  /**
   * Settles if the thread dies while open (a crash inside PGlite): from then on every query
   * fails, so the process should end and be restarted rather than serve errors.
   */
  readonly lost = new Promise<Error>((resolve) => (this.markLost = resolve));

  private constructor() {
    // Not the parent's flags: its --import hooks (tsx, the bench's probe) can't load here before tsx is registered.
    this.worker = new Worker(WORKER_URL, { execArgv: [] });
    this.worker.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(Object.assign(new Error(reply.error.message), reply.error));
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', (code) => this.failAll(new Error(`The database thread exited (${code})`)));
  }

  /** Starts the thread and opens PGlite on `dataDir` (the caller holds the data-dir lock). */
  static async open(dataDir: string): Promise<PGliteWorkerClient> {
    const client = new PGliteWorkerClient();
    try {
      await client.call({ op: 'open', dataDir });
    } catch (err) {
      await client.worker.terminate();
      throw err;
    }
    return client;
  }

  private call<T>(req: WorkerRequest): Promise<T> {
    if (this.closed && req.op !== 'close') return Promise.reject(new Error('The database is closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, ...req });
    });
  }

  private failAll(err: Error): void {
    if (!this.closed) this.markLost(err);
    this.closed = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  query<T>(text: string, params: unknown[] = [], options: QueryOptions = {}, tx?: number): Promise<Results & { rows: T[] }> {
    // Drizzle passes parsers that return the text as is (timestamps it maps itself); functions
    // can't cross threads, so the worker is told which types to leave as text.
    const rawTypes = Object.keys(options.parsers ?? {}).map(Number);
    return this.call({ op: 'query', text, params, rowMode: options.rowMode ?? 'object', rawTypes, ...(tx ? { tx } : {}) });
  }

  exec(text: string, tx?: number): Promise<Results[]> {
    return this.call({ op: 'exec', text, ...(tx ? { tx } : {}) });
  }

  /** `SELECT * FROM fn(json::jsonb)` in autocommit: see Database.callJson. */
  async callJson<R>(fn: string, json: string): Promise<R[]> {
    return this.call<R[]>({ op: 'callJson', fn, json });
  }

  /** Runs `fn` in a transaction: committed if it resolves, rolled back if it throws. */
  async transaction<T>(fn: (tx: { query: PGliteWorkerClient['query']; exec: (text: string) => Promise<Results[]> }) => Promise<T>): Promise<T> {
    const tx = await this.call<number>({ op: 'begin' });
    let result: T;
    try {
      result = await fn({
        query: (text, params, options) => this.query(text, params, options, tx),
        exec: (text) => this.exec(text, tx),
      });
    } catch (err) {
      await this.call({ op: 'end', tx, commit: false }).catch(() => undefined);
      throw err;
    }
    await this.call({ op: 'end', tx, commit: true });
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.call({ op: 'close' });
    } finally {
      this.closed = true;
      await this.worker.terminate();
    }
  }
}
