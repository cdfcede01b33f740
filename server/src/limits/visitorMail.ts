import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { consumeEach, type LimiterStore, type Rate } from './store';

/**
 * Mail a visitor makes the server send to an address they type (V2: "email me the transcript").
 * Visitors are anonymous and cheap to create, so without these the server would relay their text
 * to any address: a recipient gets a few such mails an hour from all visitors together, and an
 * account sends a bounded number in all, shared by every node (REDIS_URL).
 */
export const VISITOR_MAIL_LIMITS = {
  perRecipient: { points: 5, durationSec: 3600 },
  perAccount: { points: 200, durationSec: 3600 },
} satisfies Record<string, Rate>;

export class VisitorMailLimits {
  private readonly perRecipient: RateLimiterAbstract;
  private readonly perAccount: RateLimiterAbstract;

  constructor(store: LimiterStore) {
    this.perRecipient = store.shared('visitorMail.recipient', VISITOR_MAIL_LIMITS.perRecipient);
    this.perAccount = store.shared('visitorMail.account', VISITOR_MAIL_LIMITS.perAccount);
  }

  /** Counts one mail of `accountId` to `to`; throws `rate_limited` (with the wait) when over a limit. */
  async consume(accountId: string, to: string): Promise<void> {
    // Case doesn't make another recipient (not for counting, anyway).
    const recipient = to.trim().toLowerCase();
    await consumeEach([
      { limiter: this.perRecipient, key: recipient, what: 'emails to this address', advice: 'try again' },
      { limiter: this.perAccount, key: accountId, what: 'emails from this website', advice: 'try again' },
    ]);
  }
}
