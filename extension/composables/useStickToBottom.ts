import { nextTick, type ShallowRef } from 'vue';

/** How close to its end (px) a log counts as read to the end. */
const NEAR_END_PX = 48;

/**
 * A chat log that follows new messages while the reader is at its end and stays put while they
 * read further up: a colleague's message must not pull the log away from what they are reading.
 * Wire `onScroll` to the log's scroll event, call `follow()` when messages arrive and `reset()`
 * when another chat is shown (to its end, following again).
 */
export function useStickToBottom(log: Readonly<ShallowRef<HTMLElement | null>>) {
  let stick = true;
  const onScroll = () => {
    const el = log.value;
    if (el) stick = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_END_PX;
  };
  const toEnd = async (force: boolean) => {
    await nextTick();
    const el = log.value;
    if (el && (stick || force)) el.scrollTop = el.scrollHeight;
  };
  return {
    onScroll,
    follow: () => toEnd(false),
    reset: () => {
      stick = true;
      return toEnd(true);
    },
  };
}
