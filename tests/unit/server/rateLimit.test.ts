import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../server/src/features/auth/rateLimit';

describe('RateLimiter', () => {
  it('limits a key after max hits until the window ends, and reset forgets it', () => {
    let now = 0;
    const limiter = new RateLimiter(3, 1000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.isLimited('k')).toBe(false);
      limiter.hit('k');
    }
    expect(limiter.isLimited('k')).toBe(true);
    expect(limiter.isLimited('other')).toBe(false);
    now = 1000;
    expect(limiter.isLimited('k')).toBe(false);
    limiter.hit('k');
    limiter.hit('k');
    limiter.hit('k');
    expect(limiter.isLimited('k')).toBe(true);
    limiter.reset('k');
    expect(limiter.isLimited('k')).toBe(false);
  });
});
