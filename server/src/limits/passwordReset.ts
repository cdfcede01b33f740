import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { consumeEach, type LimiterStore } from './store';

const HOUR = 3600;

/**
 * "Forgot password?" (A5, #5): each request may send a mail, so it is counted per address (one
 * address asking for many accounts) and per email (one inbox flooded from many addresses),
 * whether or not the email has an account: the answer must not tell.
 */
export const PASSWORD_RESET_LIMITS = {
  perAddress: { points: 10, durationSec: HOUR },
  perEmail: { points: 3, durationSec: HOUR },
} as const;

export class PasswordResetLimits {
  private readonly perAddress: RateLimiterAbstract;
  private readonly perEmail: RateLimiterAbstract;

  constructor(store: LimiterStore) {
    this.perAddress = store.shared('passwordReset.address', PASSWORD_RESET_LIMITS.perAddress);
    this.perEmail = store.shared('passwordReset.email', PASSWORD_RESET_LIMITS.perEmail);
  }

  /** Counts a request for `email` from `address` (limits/address.ts key); throws `rate_limited` over either limit. */
  async request(address: string, email: string): Promise<void> {
    await consumeEach([
      { limiter: this.perAddress, key: address, what: 'password reset requests', advice: 'try again' },
      { limiter: this.perEmail, key: email, what: 'password reset requests for this email', advice: 'check your mail, or try again' },
    ]);
  }
}
