import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimited, tryConsume, type LimiterStore } from './store';

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/**
 * #4: operator sign-in. Every attempt is counted BEFORE its password is verified (an atomic
 * increment), so parallel attempts can't all slip through one check; a success gives its point back.
 */
export const LOGIN_LIMITS = {
  /** One address guessing one account: what the old limit was, now counted up front. */
  perAddressAndEmail: { points: 10, durationSec: 15 * MINUTE },
  /** One address trying many accounts. */
  perAddress: { points: 100, durationSec: 15 * MINUTE },
  /** One account from every address together (a botnet, or a fresh address per guess). */
  perEmail: { points: 20, durationSec: 15 * MINUTE },
  /** Once `perEmail` is exceeded the account is closed to new addresses for this long, doubling each time within a day, up to `maxSec`. */
  emailBackoff: { firstSec: 15 * MINUTE, maxSec: 4 * HOUR, resetSec: 24 * HOUR },
  /** An address that signed in to an account is "known" to it for this long (Node timers cap at 24.8 days). */
  knownAddressSec: 14 * 24 * HOUR,
} as const;

/** An attempt that passed the limits; tell it whether the password was right. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
}

/**
 * The sign-in limits. Keys: the address (`addressKey`: IPv4, or the IPv6 /64) and the email.
 *
 * The legitimate user against an attacker guessing their password from many addresses: counting
 * per account is what stops a distributed attack, but it also locks the account's owner out,
 * which is itself an attack (deny someone their sign-in). Two things keep that bounded:
 * - the per-account block grows (15 min, 30 min, 1 h … 4 h) instead of being permanent, so an
 *   attacker gets about 20 guesses per block (~200 a day) and the owner is never locked out for good;
 * - an address that signed in to the account successfully in the last 14 days skips the
 *   per-account limit (still 10 failures per 15 min for itself): the owner at their usual office
 *   or home signs in during an attack. From a new address they wait for the block to end: that is
 *   the price, and the refusal says how long.
 */
export class LoginLimits {
  private readonly perAddressAndEmail: RateLimiterAbstract;
  private readonly perAddress: RateLimiterAbstract;
  private readonly perEmail: RateLimiterAbstract;
  private readonly emailBlocks: RateLimiterAbstract;
  private readonly knownAddresses: RateLimiterAbstract;

  constructor(store: LimiterStore) {
    this.perAddressAndEmail = store.shared('login.addressEmail', LOGIN_LIMITS.perAddressAndEmail);
    this.perAddress = store.shared('login.address', LOGIN_LIMITS.perAddress);
    this.perEmail = store.shared('login.email', LOGIN_LIMITS.perEmail);
    this.emailBlocks = store.shared('login.emailBlocks', { points: 1_000_000, durationSec: LOGIN_LIMITS.emailBackoff.resetSec });
    this.knownAddresses = store.shared('login.known', { points: 1, durationSec: LOGIN_LIMITS.knownAddressSec });
  }

  /** Counts an attempt of `email` from `address`, or throws `rate_limited` (verify nothing then). */
  async begin(address: string, email: string): Promise<LoginAttempt> {
    const pair = `${email}|${address}`;
    const own = await tryConsume(this.perAddressAndEmail, pair);
    if (!own.ok) throw refused(own.res.msBeforeNext);
    const fromAddress = await tryConsume(this.perAddress, address);
    if (!fromAddress.ok) throw refused(fromAddress.res.msBeforeNext);
    const known = (await this.knownAddresses.get(pair)) !== null;
    if (!known) {
      const forEmail = await tryConsume(this.perEmail, email);
      if (!forEmail.ok) throw refused(await this.backOff(email, forEmail.res.consumedPoints, forEmail.res.msBeforeNext));
    }
    return {
      succeeded: async () => {
        // The right password was not a guess: forget this address's failures, give the points back.
        await Promise.all([
          this.perAddressAndEmail.delete(pair),
          this.perAddress.reward(address),
          known ? null : this.perEmail.reward(email),
          this.knownAddresses.set(pair, 1, LOGIN_LIMITS.knownAddressSec),
        ]);
      },
    };
  }

  /**
   * The attempt that went over the per-account limit blocks the account for the next step of the
   * backoff; the count is atomic, so exactly one attempt does. The others wait out that block.
   */
  private async backOff(email: string, consumed: number, msBeforeNext: number): Promise<number> {
    if (consumed !== LOGIN_LIMITS.perEmail.points + 1) return msBeforeNext;
    const blocks = (await this.emailBlocks.penalty(email)).consumedPoints;
    const { firstSec, maxSec } = LOGIN_LIMITS.emailBackoff;
    const seconds = Math.min(firstSec * 2 ** Math.min(blocks - 1, 20), maxSec);
    await this.perEmail.block(email, seconds);
    return seconds * 1000;
  }
}

function refused(retryAfterMs: number) {
  return rateLimited('sign-in attempts', retryAfterMs, 'try again');
}
