/** Which items of a scrolling strip are not wholly in view (#5: open-chat tabs cut off with no hint). */
export interface Span {
  start: number;
  end: number;
}

/** Indexes of the items not wholly inside `view` (a pixel of rounding is forgiven). */
export function outOfView(items: readonly Span[], view: Span): number[] {
  const hidden: number[] = [];
  items.forEach((item, i) => {
    if (item.start < view.start - 1 || item.end > view.end + 1) hidden.push(i);
  });
  return hidden;
}
