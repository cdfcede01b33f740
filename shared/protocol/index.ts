/**
 * The client protocol (#5): the rules the widget, the panel and the test clients follow on the
 * wire, written once. No runtime dependency and no zod, so the widget carries only what it uses.
 * - merge.ts: merging stored messages by seq and clientId, optimistic entries replaced;
 * - seq.ts: where a client stands, and the gap rule that calls for a sync;
 * - sync.ts: `chat:sync` paging (page size, "until a page is short");
 * - clientId.ts: the one client id generator;
 * - conversation.ts: the lastAuthor rule and a conversation's preview (shared/preview.ts);
 * - limits.ts, typing.ts: the numbers every side shares.
 */
export { MAX_EMAIL_LENGTH, MAX_MESSAGE_LENGTH, MAX_NAME_LENGTH } from './limits';
export { newClientId } from './clientId';
export { displayOrder, mergeMessages, type SeqEntry } from './merge';
export { contiguousSeq, hasGap, isBehind, isGap, maxSeq } from './seq';
export { MAX_SYNC_PAGES, SYNC_PAGE_SIZE, syncPages } from './sync';
export { movesLastAuthor, withLastMessage, type LastMessageSummary } from './conversation';
export { PREVIEW_LENGTH, previewOf } from '../preview';
export { TYPING_EXPIRES_MS, TYPING_IDLE_MS, TYPING_REPEAT_MS } from './typing';
