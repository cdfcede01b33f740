import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimitsConfig } from '../config';
import type { Logger } from '../log';
import { CommandLimits } from './commands';
import { VisitorConnectionLimits } from './connections';
import { LoginLimits } from './login';
import { PasswordResetLimits } from './passwordReset';
import { LimiterStore, rateLimited, tryConsume } from './store';
import { UploadLimits } from './uploads';
import { VisitorMailLimits } from './visitorMail';

/**
 * First-run setup hashes a password (argon2, ~20 MB and tens of ms of CPU): per address, only
 * attempts that passed validation count. Once set up, the route answers `setup_done` before this.
 */
export const SETUP_LIMIT = { points: 10, durationSec: 15 * 60 };

/** Every rate limit of the server (#4), built once per app: `ctx.limits`. */
export interface Limits {
  /** Socket commands, declared per command where it is registered (realtime/withAck.ts). */
  commands: CommandLimits;
  /** Operator sign-in, counted before the password is verified. */
  login: LoginLimits;
  /** "Forgot password?" requests, per address and per email (A5). */
  passwordReset: PasswordResetLimits;
  /** Widget connections per address, checked first in the /visitor handshake. */
  visitorConnections: VisitorConnectionLimits;
  /** File uploads per address and per uploader (#5). */
  uploads: UploadLimits;
  /** Mail a visitor asks for, per recipient address and per account (V2: transcripts). */
  visitorMail: VisitorMailLimits;
  /** Counts a first-run setup attempt from `address`; throws `rate_limited` over the limit. */
  setupAttempt(address: string): Promise<void>;
  close(): Promise<void>;
}

export async function createLimits(opts: { redisUrl?: string; log: Logger; installId: string; config: LimitsConfig }): Promise<Limits> {
  const store = await LimiterStore.open(opts);
  const setup: RateLimiterAbstract = store.shared('setup', SETUP_LIMIT);
  return {
    commands: new CommandLimits(store, opts.config.commandScale),
    login: new LoginLimits(store),
    passwordReset: new PasswordResetLimits(store),
    visitorConnections: new VisitorConnectionLimits(store, opts.config),
    uploads: new UploadLimits(store),
    visitorMail: new VisitorMailLimits(store),
    setupAttempt: async (address) => {
      const counted = await tryConsume(setup, address);
      if (!counted.ok) throw rateLimited('setup attempts', counted.res.msBeforeNext, 'try again');
    },
    close: () => store.close(),
  };
}
