/**
 * Durable jobs (#5): follow-up work that must not be lost — mail now; webhooks, review sync,
 * retention and scheduled reports later — stored in the `jobs` table and run by a JobRunner on
 * every node.
 *
 * Why our own small table and not pg-boss or graphile-worker: both need node-postgres pools and
 * LISTEN, and neither runs on PGlite, our embedded default, which lives on a thread of its own
 * (db/pgliteWorker.ts). One table claimed with `FOR UPDATE SKIP LOCKED` works the same on
 * PostgreSQL and on PGlite (PostgreSQL 18 in WASM), and it is all the guarantees need:
 * - a job is a committed row, so it survives `kill -9` and restarts, and enqueued inside the
 *   caller's transaction it exists if and only if that change committed;
 * - nodes sharing one PostgreSQL never claim the same row (SKIP LOCKED), and a claim is a lease
 *   that the running node renews: if the node dies, the lease passes and another node (or the
 *   restarted one) takes the job. Every outcome is written only under the attempt's own claim
 *   (its attempt number), so a node that lost its lease cannot overwrite what the new one did;
 * - failures retry with exponential backoff and jitter up to the kind's `maxAttempts`, and the
 *   last error and the attempt count stay on the row; failed jobs are kept for admins, done
 *   ones are pruned after a week.
 * A job can still run twice if its node dies after the work and before marking it done (at
 * least once), so handlers key their side effects by the job id where they can.
 *
 * Cost when idle: one indexed statement per poll (POLL_MS) per node, reading `jobs_due_idx`,
 * which holds live jobs only. Enqueuing on this node wakes its runner at once.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { systemClock, type Clock } from '../clock';
import type { AppContext } from '../context';
import type { Db } from '../db/client';
import { jsonArgument } from '../db/json';
import type { Logger } from '../log';
import { validate } from '../validate';
import { PermanentJobError, retryDelay, type JobDefinition, type JobInfo } from './define';
import { claimJobs, expireAllLeases, extendLeases, finishJob, insertJob, pruneDoneJobs, type ClaimedJob } from './repo';

/** How often an idle node looks for due jobs (also how late a job enqueued inside a transaction, or on another node, may start). */
const POLL_MS = 1_000;
/** A claim's lease; the running node renews it every third of it. */
const LEASE_MS = 30_000;
/** Done jobs are deleted after this; failed ones are kept. */
const KEEP_DONE_MS = 7 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;
const PRUNE_BATCH = 1_000;
/** How long close() waits for running jobs before leaving them to their leases. */
const CLOSE_GRACE_MS = 5_000;
/** last_error is for people: a line, not a dump. */
const MAX_ERROR = 1_000;

export interface EnqueueOptions {
  /** The account the job is for: its jobs are deleted with it. */
  accountId?: string;
  /** Not before this time (default: now). */
  runAt?: Date;
  /** Idempotency: enqueuing the same kind and key again returns the first job instead of a new one. */
  key?: string;
  /**
   * The caller's transaction: the job is inserted in it, so it exists if and only if the change
   * commits. The runner can't see the commit happen: the job starts at the next poll (≤ 1 s), or
   * at once if the caller calls `ctx.jobs.wake()` after committing.
   */
  tx?: Db;
}

export interface JobRunnerOptions {
  /** Jobs run at once on this node; 0 = this node only enqueues (JOB_CONCURRENCY). */
  concurrency: number;
  /**
   * Whether this process alone can hold a lease on this database (PGlite: the data dir is
   * locked to one process), so leases found at start are a dead process's and are due at once.
   */
  soleProcess: boolean;
  /** When a job is due and leases end (#6: a test's clock moves on and due jobs run); default the system's. */
  clock?: Clock;
}

interface Running {
  job: ClaimedJob;
  done: Promise<void>;
}

export class JobRunner {
  /** `host:pid:random`: who holds a lease (kept in `locked_by`). */
  readonly node = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly kinds = new Map<string, JobDefinition>();
  private readonly running = new Map<string, Running>();
  private ctx: AppContext | undefined;
  private loop: Promise<void> | undefined;
  private closing = false;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private nextPruneAt = Date.now() + Math.random() * PRUNE_EVERY_MS;
  private failingSince = 0;
  private closed: Promise<void> | undefined;

  private readonly clock: Clock;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly options: JobRunnerOptions,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** Adds job kinds this node runs (and may enqueue). A kind registered twice must be the same definition. */
  register(...definitions: JobDefinition[]): void {
    for (const def of definitions) {
      const known = this.kinds.get(def.kind);
      if (known && known !== def) throw new Error(`Job kind ${def.kind} is registered twice`);
      this.kinds.set(def.kind, def);
    }
    this.wake();
  }

  /**
   * Stores a job of `def`'s kind (validated against its payload schema: a bad payload throws
   * `validation_failed` and stores nothing) and returns its id; `created: false` when `key`
   * matched a job already stored.
   */
  async enqueue<S extends z.ZodType>(def: JobDefinition<S>, payload: z.input<S>, options: EnqueueOptions = {}): Promise<{ id: string; created: boolean }> {
    if (this.kinds.get(def.kind) !== def) throw new Error(`Job kind ${def.kind} is not registered: nothing would run it`);
    const parsed = validate(def.payload, payload);
    const result = await insertJob(options.tx ?? this.db, {
      kind: def.kind,
      payload: jsonArgument(parsed),
      accountId: options.accountId ?? null,
      key: options.key ?? null,
      runAt: options.runAt ?? null,
    });
    if (!options.tx && (!options.runAt || options.runAt.getTime() <= this.clock.now())) this.wake();
    return result;
  }

  /** Starts claiming and running jobs with `ctx` (what handlers get). Idempotent. */
  start(ctx: AppContext): void {
    if (this.loop || this.closing) return;
    this.ctx = ctx;
    if (this.options.concurrency < 1) return;
    this.loop = this.run();
  }

  /** Looks for due jobs now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Jobs this node is running now. */
  get active(): number {
    return this.running.size;
  }

  /**
   * Stops claiming, then waits for the running jobs (up to a few seconds; a job still running
   * after that keeps its lease, which passes, and another node or the next start runs it again).
   */
  close(): Promise<void> {
    return (this.closed ??= this.shutdown());
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    this.wake();
    await this.loop;
    const all = Promise.all([...this.running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
    clearInterval(this.heartbeat);
    if (this.running.size) this.log.warn(`Closing with ${this.running.size} job(s) still running; their leases will pass and they will run again`);
  }

  private async run(): Promise<void> {
    if (this.options.soleProcess) {
      const expired = await expireAllLeases(this.db).catch((err: unknown) => this.log.error('Jobs: releasing leases left by the last run failed', err));
      if (expired) this.log.warn(`Jobs: ${expired} job(s) were running when the last process stopped; running them again`);
    }
    this.heartbeat = setInterval(() => void this.renewLeases(), LEASE_MS / 3);
    this.heartbeat.unref();
    while (!this.closing) {
      this.woken = false;
      const free = this.options.concurrency - this.running.size;
      if (free > 0 && this.kinds.size > 0) {
        try {
          const claimed = await claimJobs(this.db, {
            kinds: [...this.kinds.keys()],
            limit: free,
            node: this.node,
            leaseMs: LEASE_MS,
            now: this.clock.sqlNow(),
          });
          for (const job of claimed) this.launch(job);
          this.recovered();
        } catch (err) {
          this.failing('Jobs: claiming failed (retrying every poll)', err);
        }
      }
      await this.prune();
      // Woken meanwhile (an enqueue here, a slot freed: after a full batch more may be due): look again now.
      if (!this.closing && !this.woken) await this.sleep(POLL_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }

  private launch(job: ClaimedJob): void {
    const done = this.execute(job).finally(() => {
      this.running.delete(job.id);
      this.wake(); // a slot is free
    });
    this.running.set(job.id, { job, done });
  }

  /** Runs one attempt and records its outcome; never throws. */
  private async execute(job: ClaimedJob): Promise<void> {
    const def = this.kinds.get(job.kind);
    const ctx = this.ctx;
    if (!def || !ctx) return; // claims only name registered kinds, and only once started
    const label = `Job ${job.kind} ${job.id} (attempt ${job.attempt}/${def.maxAttempts})`;
    let outcome: Parameters<typeof finishJob>[2];
    if (job.attempt > def.maxAttempts) {
      // Every attempt so far ended with its node dead (the claim recorded it): don't take down another.
      outcome = { status: 'failed', error: `gave up after ${def.maxAttempts} attempts: the node running it stopped each time` };
    } else {
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      try {
        const payload = def.payload.safeParse(job.payload);
        if (!payload.success) throw new PermanentJobError(`payload does not match ${job.kind}: ${payload.error.issues[0]?.message ?? 'invalid'}`);
        const info: JobInfo = {
          id: job.id,
          kind: job.kind,
          accountId: job.accountId,
          attempt: job.attempt,
          maxAttempts: def.maxAttempts,
          signal: controller.signal,
        };
        await Promise.race([
          def.handler(ctx, payload.data, info),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              const err = new Error(`timed out after ${def.timeoutMs} ms`);
              controller.abort(err);
              reject(err);
            }, def.timeoutMs);
          }),
        ]);
        outcome = { status: 'done' };
      } catch (err) {
        const error = `attempt ${job.attempt}: ${describe(err)}`;
        if (err instanceof PermanentJobError) outcome = { status: 'failed', error };
        else if (job.attempt >= def.maxAttempts) outcome = { status: 'failed', error };
        else outcome = { status: 'retry', delayMs: retryDelay(def.backoff, job.attempt), error };
        const line = `${label} ${outcome.status === 'failed' ? 'failed for good' : 'failed; will retry'}`;
        if (outcome.status === 'failed') this.log.error(line, err);
        else this.log.warn(line, err);
      } finally {
        clearTimeout(timer);
      }
    }
    try {
      const recorded = await finishJob(this.db, { id: job.id, attempt: job.attempt, node: this.node }, outcome, this.clock.sqlNow());
      if (!recorded) this.log.warn(`${label}: its lease had passed and another node took it over; outcome ${outcome.status} not recorded`);
    } catch (err) {
      // The job stays running under our lease, which passes: it runs again, later.
      this.log.error(`${label}: recording the outcome (${outcome.status}) failed`, err);
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.running.size === 0) return;
    try {
      await extendLeases(this.db, this.node, [...this.running.keys()], LEASE_MS, this.clock.sqlNow());
    } catch (err) {
      this.failing('Jobs: renewing leases failed', err);
    }
  }

  private async prune(): Promise<void> {
    if (Date.now() < this.nextPruneAt || this.closing) return;
    this.nextPruneAt = Date.now() + PRUNE_EVERY_MS;
    try {
      let removed = 0;
      let batch: number;
      do {
        batch = await pruneDoneJobs(this.db, KEEP_DONE_MS, PRUNE_BATCH);
        removed += batch;
      } while (batch === PRUNE_BATCH && !this.closing);
      if (removed) this.log.info(`Jobs: pruned ${removed} done job(s) older than a week`);
    } catch (err) {
      this.log.error('Jobs: pruning done jobs failed', err);
    }
  }

  /** Database trouble: logged once a minute while it lasts (the logger folds repeats too). */
  private failing(line: string, err: unknown): void {
    const now = Date.now();
    if (now - this.failingSince > 60_000) {
      this.failingSince = now;
      this.log.error(line, err);
    }
  }

  private recovered(): void {
    this.failingSince = 0;
  }
}

function describe(err: unknown): string {
  const text = err instanceof Error ? `${err.message}${'code' in err && err.code ? ` (${String(err.code)})` : ''}` : String(err);
  return text.length > MAX_ERROR ? `${text.slice(0, MAX_ERROR)}…` : text;
}
