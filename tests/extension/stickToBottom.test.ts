/** A chat log follows new messages only while read to its end (the visitor chat's and the internal chat's logs). */
import { shallowRef } from 'vue';
import { describe, expect, it } from 'vitest';
import { useStickToBottom } from '@/composables/useStickToBottom';

/** A log 300 px tall holding `height` px of messages (happy-dom lays nothing out). */
function fakeLog(height: number) {
  const el = document.createElement('div');
  let content = height;
  Object.defineProperty(el, 'clientHeight', { get: () => 300 });
  Object.defineProperty(el, 'scrollHeight', { get: () => content });
  return { el, grow: (px: number) => (content += px) };
}

describe('useStickToBottom', () => {
  it('follows new messages at the end, stays put while the reader is further up, and a new chat starts at its end', async () => {
    const { el, grow } = fakeLog(1000);
    const scroll = useStickToBottom(shallowRef(el));
    await scroll.reset();
    expect(el.scrollTop).toBe(1000);

    grow(100);
    await scroll.follow();
    expect(el.scrollTop).toBe(1100);

    // The reader scrolls up to an older message: a new one does not pull the log away.
    el.scrollTop = 200;
    scroll.onScroll();
    grow(100);
    await scroll.follow();
    expect(el.scrollTop).toBe(200);

    // Back near the end (within 48 px): following again.
    el.scrollTop = 1200 - 300 - 40;
    scroll.onScroll();
    grow(100);
    await scroll.follow();
    expect(el.scrollTop).toBe(1300);

    // Scrolled up, then another chat is shown: it opens at its end.
    el.scrollTop = 0;
    scroll.onScroll();
    await scroll.reset();
    expect(el.scrollTop).toBe(1300);
  });
});
