import type { VisitorView } from '../../../../shared/schemas/visitors';
import { visitorState } from '../../../../shared/visitorState';
import type { VisitorWithChat } from './repo';

export function presentVisitor({ visitor: v, chat }: VisitorWithChat, online: boolean): VisitorView {
  return {
    id: v.id,
    online,
    state: visitorState({ status: chat?.status ?? null, lastAuthor: chat?.lastAuthor ?? null, hasChattedBefore: v.chats > 0 }),
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
