import type { z } from 'zod';
import type { AppContext } from '../context';

/** Retry delays: exponential from `baseMs`, capped at `maxMs`, with jitter (see retryDelay). */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/** What a handler is told about the job it runs. */
export interface JobInfo {
  id: string;
  kind: string;
  accountId: string | null;
  /** 1 on the first attempt. */
  attempt: number;
  maxAttempts: number;
  /** Aborted when the attempt times out: stop work and let the job be retried. */
  signal: AbortSignal;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  /** `feature.verb`, e.g. `mail.send`; stored in each row, so never rename a kind that has jobs queued. */
  kind: string;
  /** Checked when a job is enqueued and again before it runs (a row outlives the code that wrote it). */
  payload: S;
  /**
   * Does the work. Resolving marks the job done; throwing schedules a retry after the backoff,
   * or fails the job for good after `maxAttempts` or when it throws {@link PermanentJobError}.
   * A job may run more than once (its node can die after the work, before marking it done), so
   * side effects must be idempotent, keyed by `job.id` where they can be.
   */
  handler: (ctx: AppContext, payload: z.output<S>, job: JobInfo) => Promise<void>;
  maxAttempts: number;
  backoff: Backoff;
  /** One attempt's limit: past it, the signal aborts and the attempt counts as failed. */
  timeoutMs: number;
}

/** A kind of job as a feature declares it; the defaults suit short network calls. */
export interface JobSpec<S extends z.ZodType> {
  kind: string;
  payload: S;
  handler: JobDefinition<S>['handler'];
  /** Default 5. */
  maxAttempts?: number;
  /** Default 10 s doubling up to 1 h. */
  backoff?: Backoff;
  /** Default 60 s. */
  timeoutMs?: number;
}

const KIND = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;

/** Declares a job kind; register it on the runner (`ctx.jobs.register`) of every node that should run it. */
export function defineJob<S extends z.ZodType>(spec: JobSpec<S>): JobDefinition<S> {
  if (!KIND.test(spec.kind)) throw new Error(`Job kind "${spec.kind}" must look like feature.verb (mail.send)`);
  const def: JobDefinition<S> = {
    kind: spec.kind,
    payload: spec.payload,
    handler: spec.handler,
    maxAttempts: spec.maxAttempts ?? 5,
    backoff: spec.backoff ?? { baseMs: 10_000, maxMs: 3_600_000 },
    timeoutMs: spec.timeoutMs ?? 60_000,
  };
  if (!Number.isInteger(def.maxAttempts) || def.maxAttempts < 1) throw new Error(`${spec.kind}: maxAttempts must be a whole number ≥ 1`);
  if (!(def.backoff.baseMs > 0 && def.backoff.maxMs >= def.backoff.baseMs)) throw new Error(`${spec.kind}: backoff needs 0 < baseMs ≤ maxMs`);
  return def;
}

/** Thrown by a handler when trying again can never help (the recipient does not exist): the job fails at once. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/**
 * The wait before the attempt after attempt `attempt` failed: `baseMs · 2^(attempt-1)`, capped at
 * `maxMs`, of which a random half is kept ("equal jitter"): jobs that failed together (an SMTP
 * server went down) come back spread out, yet never sooner than half the step.
 */
export function retryDelay(backoff: Backoff, attempt: number, random: () => number = Math.random): number {
  const step = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
