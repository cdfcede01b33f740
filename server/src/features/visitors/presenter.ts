import type { VisitorState, VisitorView } from '../../../../shared/schemas/visitors';
import type { VisitorWithChat } from './repo';

/**
 * The colour state (SPEC P3): red while the chat waits to be accepted, yellow while the visitor
 * waits for the operator, green while the operator waits for the visitor, blue for someone who
 * chatted before, gray otherwise.
 */
function visitorState(chat: VisitorWithChat['chat'], chatsBefore: number): VisitorState {
  if (chat?.status === 'waiting') return 'waiting';
  if (chat?.status === 'active') return chat.lastAuthor === 'operator' ? 'replied' : 'needs_reply';
  return chatsBefore > 0 ? 'chatted' : 'browsing';
}

export function presentVisitor({ visitor: v, chat }: VisitorWithChat, online: boolean): VisitorView {
  return {
    id: v.id,
    online,
    state: visitorState(chat, v.chats),
    name: v.name,
    email: v.email,
    currentUrl: v.currentUrl,
    pageTitle: v.pageTitle,
    referrer: v.referrer,
    country: v.country,
    region: v.region,
    city: v.city,
    language: v.language,
    ip: v.ip,
    browser: v.browser,
    platform: v.platform,
    screen: v.screen,
    visitStartedAt: v.visitStartedAt.toISOString(),
    lastSeenAt: v.lastSeenAt.toISOString(),
    pagesViewed: v.pagesViewed,
    conversationId: chat?.id ?? null,
  };
}
