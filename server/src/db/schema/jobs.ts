import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts';

/** Where a job is in its life (server/src/jobs/runner.ts). `done` rows are pruned; `failed` ones are kept for admins. */
export const JOB_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * Durable follow-up work (#5): mail now; webhooks, review sync, retention, reports later. A row is
 * claimed with `FOR UPDATE SKIP LOCKED`, so nodes sharing one PostgreSQL never take the same job,
 * and it survives a crash of the node running it (its lease runs out and another node takes it).
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The registered job kind (`mail.send`): which handler runs it. */
    kind: text('kind').notNull(),
    /** The handler's input, validated against the kind's schema when enqueued and again when run. */
    payload: jsonb('payload').notNull(),
    /** The account the work is for, if any (its jobs go with it). */
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    /** Idempotency key chosen by the caller: one job per (kind, key) while the row is kept. */
    key: text('key'),
    status: text('status', { enum: JOB_STATUSES }).notNull().default('pending'),
    /**
     * When a node may next claim it. Pending: when it is due (now, later, or after a retry's
     * backoff). Running: when its lease ends; the running node pushes it on while it works, so
     * it passes only if that node died or hung, and then another node takes the job.
     */
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    /** Attempts started so far, counting the one running; also the fencing token of a claim. */
    attempts: integer('attempts').notNull().default(0),
    /** Why the last failed attempt failed (kept after a later success, for admins). */
    lastError: text('last_error'),
    /** The node holding the lease (`host:pid:random`), while running. */
    lockedBy: text('locked_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When it ended, done or failed for good. */
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    // The poll's one index: only live jobs are in it, however many done and failed rows there are.
    index('jobs_due_idx')
      .on(t.runAt)
      .where(sql`status IN ('pending', 'running')`),
    index('jobs_done_idx')
      .on(t.finishedAt)
      .where(sql`status = 'done'`),
    index('jobs_account_idx').on(t.accountId),
    // NULL keys never collide: only jobs given a key are deduplicated.
    unique('jobs_kind_key_key').on(t.kind, t.key),
  ],
);
