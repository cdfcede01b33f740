/**
 * The composer's emoji (P10, #6): the ones support chats use, with English names for search and
 * for screen readers. A compact list of our own rather than a picker package: the candidates
 * (emoji-picker-element, vue3-emoji-picker) carry thousands of emoji and a database of them
 * (hundreds of KB, IndexedDB or a CDN fetch) for what an operator reaches for a dozen of.
 */
export interface Emoji {
  char: string;
  name: string;
  /** More words to find it by. */
  keywords?: string;
}

export type EmojiGroup = 'smileys' | 'gestures' | 'things';

export const EMOJI: Record<EmojiGroup, readonly Emoji[]> = {
  smileys: [
    { char: '😀', name: 'grinning face', keywords: 'smile happy' },
    { char: '😃', name: 'smiling face with big eyes', keywords: 'smile happy' },
    { char: '😄', name: 'smiling face with smiling eyes', keywords: 'smile happy laugh' },
    { char: '😁', name: 'beaming face', keywords: 'grin' },
    { char: '😅', name: 'grinning face with sweat', keywords: 'phew relief' },
    { char: '😂', name: 'face with tears of joy', keywords: 'laugh lol' },
    { char: '🙂', name: 'slightly smiling face', keywords: 'smile' },
    { char: '😉', name: 'winking face', keywords: 'wink' },
    { char: '😊', name: 'smiling face with smiling eyes and blush', keywords: 'blush happy' },
    { char: '😇', name: 'smiling face with halo', keywords: 'angel innocent' },
    { char: '🥰', name: 'smiling face with hearts', keywords: 'love' },
    { char: '😍', name: 'heart eyes', keywords: 'love' },
    { char: '😘', name: 'face blowing a kiss', keywords: 'kiss' },
    { char: '😋', name: 'face savoring food', keywords: 'yum tasty' },
    { char: '😎', name: 'smiling face with sunglasses', keywords: 'cool' },
    { char: '🤓', name: 'nerd face', keywords: 'geek' },
    { char: '🤔', name: 'thinking face', keywords: 'hmm think' },
    { char: '🤗', name: 'hugging face', keywords: 'hug' },
    { char: '🤩', name: 'star-struck', keywords: 'wow excited' },
    { char: '🥳', name: 'partying face', keywords: 'party celebrate' },
    { char: '😌', name: 'relieved face', keywords: 'relief calm' },
    { char: '😐', name: 'neutral face', keywords: 'meh' },
    { char: '🙄', name: 'face with rolling eyes', keywords: 'eyeroll' },
    { char: '😬', name: 'grimacing face', keywords: 'awkward oops' },
    { char: '😮', name: 'face with open mouth', keywords: 'wow surprised' },
    { char: '😲', name: 'astonished face', keywords: 'shocked surprised' },
    { char: '😴', name: 'sleeping face', keywords: 'tired sleep' },
    { char: '😕', name: 'confused face', keywords: 'confused' },
    { char: '🙁', name: 'slightly frowning face', keywords: 'sad' },
    { char: '😢', name: 'crying face', keywords: 'sad tear' },
    { char: '😭', name: 'loudly crying face', keywords: 'sob sad' },
    { char: '😤', name: 'face with steam from nose', keywords: 'frustrated' },
    { char: '😡', name: 'pouting face', keywords: 'angry mad' },
    { char: '😱', name: 'face screaming in fear', keywords: 'scared shock' },
    { char: '🤯', name: 'exploding head', keywords: 'mind blown' },
    { char: '🤒', name: 'face with thermometer', keywords: 'sick ill' },
  ],
  gestures: [
    { char: '👍', name: 'thumbs up', keywords: 'yes ok like agree' },
    { char: '👎', name: 'thumbs down', keywords: 'no dislike' },
    { char: '👌', name: 'OK hand', keywords: 'ok perfect' },
    { char: '✌️', name: 'victory hand', keywords: 'peace' },
    { char: '🤞', name: 'crossed fingers', keywords: 'luck hope' },
    { char: '👋', name: 'waving hand', keywords: 'hello hi bye wave' },
    { char: '👏', name: 'clapping hands', keywords: 'applause bravo' },
    { char: '🙌', name: 'raising hands', keywords: 'hooray celebrate' },
    { char: '🙏', name: 'folded hands', keywords: 'please thanks pray' },
    { char: '🤝', name: 'handshake', keywords: 'deal agree' },
    { char: '💪', name: 'flexed biceps', keywords: 'strong' },
    { char: '👉', name: 'backhand index pointing right', keywords: 'point right' },
    { char: '👆', name: 'backhand index pointing up', keywords: 'point up' },
    { char: '👀', name: 'eyes', keywords: 'look see' },
    { char: '🤷', name: 'person shrugging', keywords: 'shrug dunno' },
    { char: '🤦', name: 'person facepalming', keywords: 'facepalm' },
    { char: '🙋', name: 'person raising hand', keywords: 'question me' },
    { char: '💁', name: 'person tipping hand', keywords: 'info help' },
  ],
  things: [
    { char: '❤️', name: 'red heart', keywords: 'love' },
    { char: '💙', name: 'blue heart', keywords: 'love' },
    { char: '💯', name: 'hundred points', keywords: 'perfect score' },
    { char: '✨', name: 'sparkles', keywords: 'shiny new' },
    { char: '🔥', name: 'fire', keywords: 'hot lit' },
    { char: '🎉', name: 'party popper', keywords: 'celebrate congrats tada' },
    { char: '🎁', name: 'wrapped gift', keywords: 'present' },
    { char: '⭐', name: 'star', keywords: 'favourite' },
    { char: '✅', name: 'check mark button', keywords: 'done yes ok' },
    { char: '❌', name: 'cross mark', keywords: 'no wrong' },
    { char: '⚠️', name: 'warning', keywords: 'caution alert' },
    { char: '❓', name: 'question mark', keywords: 'question' },
    { char: '❗', name: 'exclamation mark', keywords: 'important' },
    { char: '💡', name: 'light bulb', keywords: 'idea tip' },
    { char: '📦', name: 'package', keywords: 'parcel box delivery shipping' },
    { char: '🚚', name: 'delivery truck', keywords: 'shipping' },
    { char: '🚀', name: 'rocket', keywords: 'launch fast' },
    { char: '💳', name: 'credit card', keywords: 'payment pay' },
    { char: '💰', name: 'money bag', keywords: 'price cost' },
    { char: '🛒', name: 'shopping cart', keywords: 'cart buy' },
    { char: '📧', name: 'e-mail', keywords: 'email mail' },
    { char: '📞', name: 'telephone receiver', keywords: 'phone call' },
    { char: '📅', name: 'calendar', keywords: 'date' },
    { char: '⏰', name: 'alarm clock', keywords: 'time' },
    { char: '⏳', name: 'hourglass', keywords: 'wait time' },
    { char: '🔒', name: 'locked', keywords: 'secure lock password' },
    { char: '🔗', name: 'link', keywords: 'url' },
    { char: '📎', name: 'paperclip', keywords: 'attachment' },
    { char: '🛠️', name: 'hammer and wrench', keywords: 'tools fix' },
    { char: '☕', name: 'hot beverage', keywords: 'coffee tea' },
  ],
};

/** The emoji whose name or keywords contain every word of `query`. */
export function searchEmoji(query: string): Emoji[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return Object.values(EMOJI)
    .flat()
    .filter((e) => {
      const hay = `${e.name} ${e.keywords ?? ''}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    });
}
