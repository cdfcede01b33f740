import type { InvitationRuleView, VisitorInvitationView, PageVisitView, VisitorView } from '../../../../shared/schemas/visitors';
import type { VisitorAvailability } from '../../../../shared/schemas/routing';
import type { InvitationRow, InvitationRuleRow, PageViewRow } from '../../db/schema/visitors';
import type { AccountAvailability } from '../../realtime/availability';
import { visitorState } from '../../../../shared/visitorState';
import type { VisitorWithChat } from './repo';

export function presentVisitor({ visitor: v, chat }: VisitorWithChat, online: boolean): VisitorView {
  // P4: an invitation counts for the visit it was made in.
  const invitation = v.invitedAt && v.invitationState && v.invitedAt >= v.visitStartedAt ? v.invitationState : null;
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
    invited: invitation === 'pending' && !chat,
    invitation,
  };
}

export function presentPageVisit(p: PageViewRow): PageVisitView {
  return { id: p.id, url: p.url, title: p.title, at: p.createdAt.toISOString(), leftAt: p.leftAt?.toISOString() ?? null };
}

export function presentInvitation(i: InvitationRow): VisitorInvitationView {
  return { id: i.id, senderName: i.senderName, message: i.message, createdAt: i.createdAt.toISOString() };
}

export function presentRule(r: InvitationRuleRow): InvitationRuleView {
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    message: r.message,
    secondsOnPage: r.secondsOnPage,
    urlPattern: r.urlPattern,
    minPagesViewed: r.minPagesViewed,
    returning: r.returning,
    departmentId: r.departmentId,
    createdAt: r.createdAt.toISOString(),
  };
}

/** What a widget may know of the operators: whether someone is available, never how many (#4). */
export function presentVisitorAvailability(a: AccountAvailability): VisitorAvailability {
  return {
    operatorsAvailable: a.availableIds.size > 0,
    departments: a.departments.map((d) => ({ id: d.id, name: d.name, available: d.online > 0 })),
  };
}
