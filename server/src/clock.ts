/**
 * The server's clock (#6): every rule that waits (escalation of a waiting chat, auto-away) and the
 * job runner read the time here, so a test can move it on instead of waiting. In production it is
 * the system clock, and in SQL the database's own `now()`; a test clock runs ahead of both by an
 * offset it is moved on by.
 */
import { sql, type SQL } from 'drizzle-orm';

export interface Clock {
  /** Milliseconds since the epoch, as `Date.now()`. */
  now(): number;
  /** The same moment in SQL: the database's `now()` (plus the offset of a moved clock). */
  sqlNow(): SQL;
}

export const systemClock: Clock = { now: () => Date.now(), sqlNow: () => sql`now()` };

/** A clock that runs ahead of the real one by what it was moved on (tests). */
export class OffsetClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  sqlNow(): SQL {
    return this.offsetMs === 0 ? sql`now()` : sql`(now() + ${Math.round(this.offsetMs)}::integer * interval '1 millisecond')`;
  }

  /** Moves the clock on by `ms`. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
