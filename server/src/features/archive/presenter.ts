import { snippetAround } from '../../../../shared/archive';
import type { ArchiveChatView } from '../../../../shared/schemas/archive';
import type { ArchiveHit } from './repo';

/** A result as the panel shows it: the snippet is the matching message if there is one, else the visitor's first message. */
export function presentArchiveChat(hit: ArchiveHit, terms: readonly string[], match: { body: string; internal: boolean } | undefined): ArchiveChatView {
  return {
    conversationId: hit.conversationId,
    visitorId: hit.visitorId,
    visitorName: hit.visitorName,
    visitorEmail: hit.visitorEmail,
    operatorId: hit.operatorId,
    operatorName: hit.operatorName,
    departmentId: hit.departmentId,
    departmentName: hit.departmentName,
    closedAt: hit.closedAt.toISOString(),
    rating: hit.rating,
    messageCount: hit.messageCount,
    snippet: match ? { text: snippetAround(match.body, terms), internal: match.internal } : { text: snippetAround(hit.preview, []), internal: false },
  };
}
