import type { Db } from '../../db/client';
import { findAccount, type AccountRow } from './repo';

/** How long a node trusts its copy of an account (a change made on another node shows within it). */
const TTL_MS = 10_000;

/**
 * The accounts every widget handshake needs (#4: the reconnect storm): read once per account and
 * kept for a few seconds, so 5,000 visitors reconnecting to one account cost one query, not 5,000.
 * Concurrent lookups of one account share one query. A change of the account on this node calls
 * `forget()`; other nodes see it within the TTL.
 */
export class AccountCache {
  private readonly entries = new Map<string, { at: number; row: Promise<AccountRow | null> }>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** The account, or null if there is none with this id. */
  get(accountId: string): Promise<AccountRow | null> {
    const hit = this.entries.get(accountId);
    if (hit && this.now() - hit.at < TTL_MS) return hit.row;
    if (this.entries.size >= 10_000) this.entries.clear(); // unknown ids can't grow it without bound
    const row = findAccount(this.db, accountId);
    const entry = { at: this.now(), row };
    this.entries.set(accountId, entry);
    // A failed lookup is not kept: the next handshake asks again.
    row.catch(() => this.entries.get(accountId) === entry && this.entries.delete(accountId));
    return row;
  }

  /** Drops this node's copy after the account changed (settings, deletion). */
  forget(accountId: string): void {
    this.entries.delete(accountId);
  }
}
