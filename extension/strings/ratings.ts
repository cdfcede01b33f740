/** Ratings (V2): what the visitor said of an ended chat, in the chat window. */
export const ratings = {
  score: { good: 'Good', bad: 'Bad' } as const,
  /** "Rated Good: “Quick and kind”". */
  rated: (score: string, comment: string | null) => (comment ? `Rated ${score}: “${comment}”` : `Rated ${score}`),
  more: 'Show all',
  less: 'Show less',
};
