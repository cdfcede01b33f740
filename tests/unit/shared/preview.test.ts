import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PREVIEW_LENGTH, previewOf } from '../../../shared/preview';

const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].map((g) => g.segment);

/** Text pieces that are more than one UTF-16 unit or combine with their neighbours. */
const TRICKY = ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🇫🇷', 'e\u0301', 'a\u0308\u0323', '\u200f', '\u202e', '\u200d', 'ש', '中', ' ', 'a'];
const tricky = fc.array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 3 })), { maxLength: 220 }).map((p) => p.join(''));

describe('conversation preview', () => {
  it('keeps the emoji whole where the old cut split its surrogate pair (#4)', () => {
    const body = 'a'.repeat(138) + '😀' + 'tail';
    const preview = previewOf(body);
    expect(preview).toBe('a'.repeat(138) + '😀…');
    expect(preview.isWellFormed()).toBe(true);
  });

  it('is the first line, trimmed, unchanged when it is short enough', () => {
    expect(previewOf('  Hello there  \nsecond line')).toBe('Hello there');
    expect(previewOf('x'.repeat(PREVIEW_LENGTH))).toBe('x'.repeat(PREVIEW_LENGTH));
    expect(previewOf('👨‍👩‍👧‍👦'.repeat(PREVIEW_LENGTH))).toBe('👨‍👩‍👧‍👦'.repeat(PREVIEW_LENGTH));
  });

  it('counts what the reader sees: a family emoji or an accented letter is one character', () => {
    const family = '👨‍👩‍👧‍👦';
    expect(previewOf(family.repeat(PREVIEW_LENGTH + 1))).toBe(family.repeat(PREVIEW_LENGTH - 1) + '…');
    expect(previewOf('e\u0301'.repeat(200), 5)).toBe('e\u0301'.repeat(4) + '…');
  });

  it('never splits a grapheme, never exceeds the length, and stays a prefix of the first line, whatever the text', () => {
    fc.assert(
      fc.property(tricky, fc.integer({ min: 1, max: PREVIEW_LENGTH }), (text, max) => {
        const line = text.split('\n', 1)[0]!.trim();
        const preview = previewOf(text, max);
        const shown = graphemes(preview);
        expect(shown.length).toBeLessThanOrEqual(max);
        if (preview === line) return;
        expect(preview.endsWith('…')).toBe(true);
        const kept = preview.slice(0, -1);
        expect(line.startsWith(kept)).toBe(true);
        // The cut lies on a boundary between the line's own clusters (before trailing spaces are dropped).
        let at = 0;
        const boundaries = [0, ...graphemes(line).map((g) => (at += g.length))];
        expect(boundaries.some((b) => line.slice(0, b).trimEnd() === kept)).toBe(true);
        if (line.isWellFormed()) expect(preview.isWellFormed()).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('cuts an emoji placed at every position around the limit whole', () => {
    for (const emoji of ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🇫🇷', 'e\u0301']) {
      for (let k = PREVIEW_LENGTH - 5; k <= PREVIEW_LENGTH + 2; k++) {
        const preview = previewOf('a'.repeat(k) + emoji + 'tail');
        expect(preview.isWellFormed()).toBe(true);
        expect(graphemes(preview).length).toBeLessThanOrEqual(PREVIEW_LENGTH);
        // The emoji is either wholly in or wholly out.
        const rest = preview.replace(/^a*/, '').replace(/…$/, '');
        expect(rest === '' || rest.startsWith(emoji)).toBe(true);
      }
    }
  });
});
