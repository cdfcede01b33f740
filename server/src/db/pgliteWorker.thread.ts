/**
 * The database thread of PGliteWorkerClient (pgliteWorker.ts): owns the PGlite instance and
 * answers the main thread's requests in the order they come. A request inside an open
 * transaction runs on that transaction; PGlite itself holds every other query until it ends.
 */
import { parentPort } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { callJsonOnPglite } from './pgliteCall';
import type { WorkerReply, WorkerRequest } from './pgliteWorker';

let pg: PGlite | null = null;
const transactions = new Map<number, { tx: Transaction; end: (commit: boolean) => void; done: Promise<unknown> }>();
let nextTx = 1;

const identity = (value: string) => value;

function database(): PGlite {
  if (!pg) throw new Error('The database is not open');
  return pg;
}

function on(tx: number | undefined): PGlite | Transaction {
  if (tx === undefined) return database();
  const open = transactions.get(tx);
  if (!open) throw new Error(`No open transaction ${tx}`);
  return open.tx;
}

/** Thrown inside a transaction to roll it back. */
const ROLLBACK = new Error('rollback');

/** Starts a PGlite transaction that stays open until `end` asks to commit or roll it back. */
function begin(): Promise<number> {
  const id = nextTx++;
  return new Promise((resolve, reject) => {
    let end!: (commit: boolean) => void;
    const decided = new Promise<boolean>((r) => (end = r));
    const done: Promise<unknown> = database().transaction(async (tx) => {
      transactions.set(id, { tx, end, done });
      resolve(id);
      if (!(await decided)) throw ROLLBACK;
    });
    // Before the transaction started (BEGIN failed) this answers `begin`; later, `end` reports it.
    done.catch((err: unknown) => err !== ROLLBACK && reject(err as Error)).finally(() => transactions.delete(id));
  });
}

async function handle(req: WorkerRequest): Promise<unknown> {
  switch (req.op) {
    case 'open':
      pg = await PGlite.create(req.dataDir);
      return null;
    case 'query':
      return on(req.tx).query(req.text, req.params, {
        rowMode: req.rowMode,
        parsers: Object.fromEntries(req.rawTypes.map((t) => [t, identity])),
      });
    case 'exec':
      return on(req.tx).exec(req.text);
    case 'callJson':
      return callJsonOnPglite(database(), req.fn, req.json);
    case 'begin':
      return begin();
    case 'end': {
      const open = transactions.get(req.tx);
      if (!open) throw new Error(`No open transaction ${req.tx}`);
      open.end(req.commit);
      await open.done.catch((err: unknown) => {
        if (err !== ROLLBACK) throw err;
      });
      return null;
    }
    case 'close':
      if (pg && !pg.closed) await pg.close();
      return null;
  }
}

/** A PGlite error as plain data: its message and fields (code, detail, constraint …) cross threads. */
function plainError(err: unknown): Record<string, unknown> & { message: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  const fields = Object.fromEntries(Object.entries(e).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v)));
  return { ...fields, message: e.message };
}

parentPort!.on('message', (msg: WorkerRequest & { id: number }) => {
  handle(msg).then(
    (value) => parentPort!.postMessage({ id: msg.id, ok: true, value } satisfies WorkerReply),
    (err: unknown) => parentPort!.postMessage({ id: msg.id, ok: false, error: plainError(err) } satisfies WorkerReply),
  );
});
