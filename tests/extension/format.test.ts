import { describe, expect, it } from 'vitest';
import { formatTime } from '@/utils/format';

describe('formatTime: the one way the panel writes a moment (#5)', () => {
  const at = (d: number, h: number, m: number) => new Date(2026, 11, d, h, m).toISOString();
  const now = new Date(2026, 11, 3, 18, 0).getTime();

  it('gives the time alone today, in the locale’s clock', () => {
    expect(formatTime(at(3, 14, 5), 'short', now, 'en-GB')).toBe('14:05');
    expect(formatTime(at(3, 14, 5), 'short', now, 'en-US')).toBe('2:05 PM');
  });

  it('adds the day on another day, and the year in another year', () => {
    expect(formatTime(at(1, 9, 30), 'short', now, 'en-GB')).toBe('1 Dec, 9:30');
    expect(formatTime(new Date(2025, 0, 2, 9, 30).toISOString(), 'short', now, 'en-GB')).toBe('2 Jan 2025, 9:30');
  });

  it('writes the full moment for tooltips, and nothing for a missing or broken time', () => {
    expect(formatTime(at(3, 14, 5), 'full', now, 'en-GB')).toBe('Thursday, 3 December 2026 at 14:05:00');
    expect(formatTime(null)).toBe('');
    expect(formatTime('not a time')).toBe('');
  });
});
