import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimited, tryConsume, type LimiterStore, type Rate } from './store';

const MINUTES_10 = 10 * 60;

/**
 * #5: file uploads. Each one is disk space and a file written, so it is counted before a byte
 * is read: per address (an office NAT is many visitors: roomy) and, once the uploader is known,
 * per visitor or operator. A visitor sends a few files in a chat; an operator sends files to
 * many chats. Counted across nodes with REDIS_URL.
 */
export const UPLOAD_LIMITS = {
  perAddress: { points: 120, durationSec: MINUTES_10 },
  perVisitor: { points: 20, durationSec: MINUTES_10 },
  perOperator: { points: 200, durationSec: MINUTES_10 },
} as const satisfies Record<string, Rate>;

/** The upload limits; keys are `addressKey(req.ip)` and visitor / operator ids. */
export class UploadLimits {
  private readonly perAddress: RateLimiterAbstract;
  private readonly perVisitor: RateLimiterAbstract;
  private readonly perOperator: RateLimiterAbstract;

  constructor(store: LimiterStore) {
    this.perAddress = store.shared('upload.address', UPLOAD_LIMITS.perAddress);
    this.perVisitor = store.shared('upload.visitor', UPLOAD_LIMITS.perVisitor);
    this.perOperator = store.shared('upload.operator', UPLOAD_LIMITS.perOperator);
  }

  /** Counts an upload from `address`; throws `rate_limited` over the limit (read nothing then). */
  async fromAddress(address: string): Promise<void> {
    const counted = await tryConsume(this.perAddress, address);
    if (!counted.ok) throw rateLimited('uploads', counted.res.msBeforeNext);
  }

  /** Counts an upload by a visitor or an operator; throws `rate_limited` over the limit. */
  async byActor(actor: { kind: 'visitor'; visitorId: string } | { kind: 'operator'; operatorId: string }): Promise<void> {
    const counted = actor.kind === 'visitor' ? await tryConsume(this.perVisitor, actor.visitorId) : await tryConsume(this.perOperator, actor.operatorId);
    if (!counted.ok) throw rateLimited('uploads', counted.res.msBeforeNext);
  }
}
