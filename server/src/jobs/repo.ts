import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { JsonArgument } from '../db/json';
import { queryRows } from '../db/raw';
import { jobs } from '../db/schema/index';

/** A job as a claim hands it to the runner. */
export interface ClaimedJob {
  id: string;
  kind: string;
  payload: unknown;
  accountId: string | null;
  /** This attempt's number: what the claim set `attempts` to, and so the claim's fencing token. */
  attempt: number;
}

export type JobRow = typeof jobs.$inferSelect;

const ms = (n: number): SQL => sql`(${Math.max(0, Math.round(n))}::integer * interval '1 millisecond')`;

/**
 * Inserts a job (in `db`, which may be the caller's transaction). With a `key`, a second job of
 * the same kind and key is not inserted: the existing one's id is returned, `created: false`.
 */
export async function insertJob(
  db: Db,
  job: { kind: string; payload: JsonArgument; accountId: string | null; key: string | null; runAt: Date | null },
): Promise<{ id: string; created: boolean }> {
  const [inserted] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO jobs (kind, payload, account_id, key, run_at)
        VALUES (${job.kind}, ${job.payload}::jsonb, ${job.accountId}, ${job.key}, ${job.runAt ? sql`${job.runAt.toISOString()}::timestamptz` : sql`now()`})
        ON CONFLICT (kind, key) DO NOTHING
        RETURNING id`,
  );
  if (inserted) return { id: inserted.id, created: true };
  const [existing] = await queryRows<{ id: string }>(db, sql`SELECT id FROM jobs WHERE kind = ${job.kind} AND key = ${job.key}`);
  if (!existing) throw new Error(`Job ${job.kind} with key ${job.key} neither inserted nor found`);
  return { id: existing.id, created: false };
}

/**
 * Claims up to `limit` due jobs of the given kinds for `node`: one statement, one index range
 * (`jobs_due_idx`, live jobs only). `FOR UPDATE SKIP LOCKED` passes over rows another node is
 * claiming at that instant, so two nodes never take the same job; the claim sets the lease
 * (`run_at` = now + lease) and counts the attempt. A running job whose lease has passed (its
 * node died) is due again, and the reason is recorded as its last error.
 */
export async function claimJobs(db: Db, claim: ClaimRequest): Promise<ClaimedJob[]> {
  if (claim.kinds.length === 0 || claim.limit < 1) return [];
  const rows = await queryRows<{ id: string; kind: string; payload: unknown; account_id: string | null; attempts: number }>(db, claimStatement(claim));
  return rows.map((r) => ({ id: r.id, kind: r.kind, payload: r.payload, accountId: r.account_id, attempt: r.attempts }));
}

export interface ClaimRequest {
  kinds: readonly string[];
  limit: number;
  node: string;
  leaseMs: number;
  /** The time in SQL (the app's clock, #6: tests move it on); default `now()`. */
  now?: SQL;
}

/** The claim as one statement (exported for the plan test). */
export function claimStatement(claim: ClaimRequest): SQL {
  const kinds = sql.join(
    claim.kinds.map((k) => sql`${k}`),
    sql`, `,
  );
  const now = claim.now ?? sql`now()`;
  // MATERIALIZED: the locking subquery runs once, so the batch is never larger than `limit`.
  return sql`WITH due AS MATERIALIZED (
      SELECT id FROM jobs
      WHERE status IN ('pending', 'running') AND run_at <= ${now} AND kind IN (${kinds})
      ORDER BY run_at
      LIMIT ${claim.limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE jobs SET
      status = 'running',
      attempts = jobs.attempts + 1,
      locked_by = ${claim.node},
      run_at = ${now} + ${ms(claim.leaseMs)},
      last_error = CASE WHEN jobs.status = 'running'
        THEN 'attempt ' || jobs.attempts || ': the node running it stopped before it finished (' || coalesce(jobs.locked_by, '?') || ')'
        ELSE jobs.last_error END
    FROM due WHERE jobs.id = due.id
    RETURNING jobs.id, jobs.kind, jobs.payload, jobs.account_id, jobs.attempts`;
}

/** Pushes on the leases of jobs this node is still running, so no other node takes them. */
export async function extendLeases(db: Db, node: string, ids: readonly string[], leaseMs: number, now: SQL = sql`now()`): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(
    sql`UPDATE jobs SET run_at = ${now} + ${ms(leaseMs)}
        WHERE id IN (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}) AND status = 'running' AND locked_by = ${node}`,
  );
}

export type JobOutcome = { status: 'done' } | { status: 'retry'; delayMs: number; error: string } | { status: 'failed'; error: string };

/**
 * Records how an attempt ended: done, back to pending after `delayMs`, or failed for good. Only
 * while this node still holds that attempt's claim; false if it lost it (the lease passed and
 * another node took the job: its outcome wins).
 */
export async function finishJob(db: Db, job: { id: string; attempt: number; node: string }, outcome: JobOutcome, now: SQL = sql`now()`): Promise<boolean> {
  const set =
    outcome.status === 'done'
      ? sql`status = 'done', finished_at = now()`
      : outcome.status === 'retry'
        ? sql`status = 'pending', run_at = ${now} + ${ms(outcome.delayMs)}, last_error = ${outcome.error}`
        : sql`status = 'failed', finished_at = now(), last_error = ${outcome.error}`;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`UPDATE jobs SET ${set}, locked_by = NULL
        WHERE id = ${job.id} AND status = 'running' AND attempts = ${job.attempt} AND locked_by = ${job.node}
        RETURNING id`,
  );
  return rows.length === 1;
}

/**
 * PGlite only: its data directory belongs to one process (db/lock.ts), so at start every
 * `running` job was left by a process that is gone: due now, not when its lease would end.
 */
export async function expireAllLeases(db: Db): Promise<number> {
  const rows = await queryRows<{ id: string }>(db, sql`UPDATE jobs SET run_at = now() WHERE status = 'running' RETURNING id`);
  return rows.length;
}

/** Deletes up to `batch` jobs done more than `olderThanMs` ago; returns how many. Failed jobs stay. */
export async function pruneDoneJobs(db: Db, olderThanMs: number, batch: number): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`DELETE FROM jobs WHERE id IN (
          SELECT id FROM jobs WHERE status = 'done' AND finished_at < now() - ${ms(olderThanMs)} LIMIT ${batch}
        ) RETURNING id`,
  );
  return rows.length;
}

/** One job, for admins and tests. */
export async function findJob(db: Db, id: string): Promise<JobRow | null> {
  const [row] = await db
    .select()
    .from(jobs)
    .where(sql`${jobs.id} = ${id}`);
  return row ?? null;
}
