import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonArgument } from '../../../server/src/db/json';

/** Every string value and key in a parsed JSON document. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

describe('JSON arguments at the database edge (#4)', () => {
  it('writes no lone surrogate escape and no NUL, whatever strings the value holds', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (value, key, text) => {
        const json = jsonArgument({ value, [key]: text, list: [text, { [key]: text }] });
        const parsed: unknown = JSON.parse(json);
        for (const s of strings(parsed)) {
          expect(s.isWellFormed()).toBe(true);
          expect(s).not.toContain('\0');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves storable text as it is and cleans only what PostgreSQL would refuse', () => {
    expect(JSON.parse(jsonArgument({ body: 'héllo 👨‍👩‍👧 \u200f' }))).toEqual({ body: 'héllo 👨‍👩‍👧 \u200f' });
    expect(JSON.parse(jsonArgument({ body: 'a\0b\ud83d', at: new Date(0) }))).toEqual({ body: 'ab\ufffd', at: '1970-01-01T00:00:00.000Z' });
  });
});
