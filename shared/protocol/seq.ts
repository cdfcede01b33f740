/**
 * Where a client stands in a conversation's sequence (Q1). Seqs are 1, 2, 3… per
 * conversation with no gaps, so what a client holds tells it what it missed.
 */

/** Highest seq held, gaps or not (0: none). Optimistic entries (seq null) don't count. */
export function maxSeq(list: readonly { seq: number | null }[]): number {
  let max = 0;
  for (const m of list) if (m.seq !== null && m.seq > max) max = m.seq;
  return max;
}

/**
 * The end of the unbroken run of seqs held from 1 (0: seq 1 isn't held). It is what a client
 * continues `chat:sync` after, and what the widget tells its handshake: asking from here again
 * fills a gap, where asking from {@link maxSeq} would skip it for good.
 */
export function contiguousSeq(list: readonly { seq: number | null }[]): number {
  const held = new Set<number>();
  for (const m of list) if (m.seq !== null) held.add(m.seq);
  let n = 0;
  while (held.has(n + 1)) n++;
  return n;
}

/**
 * The gap rule: a message whose seq is past the next one expected (`heldThrough + 1`) means the
 * ones between were missed (a dropped connection, a broadcast lost in a Redis outage): sync.
 */
export function isGap(heldThrough: number, seq: number): boolean {
  return seq > heldThrough + 1;
}

/** A conversation's `lastSeq` (`chat:updated`, a session) past what is held: sync. */
export function isBehind(heldThrough: number, lastSeq: number): boolean {
  return lastSeq > heldThrough;
}

/** True when a seq below the highest one held is missing: time for a `chat:sync`. */
export function hasGap(list: readonly { seq: number | null }[]): boolean {
  return contiguousSeq(list) < maxSeq(list);
}
