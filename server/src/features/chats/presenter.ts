import type { ConversationView, MessageView, VisitorConversationView } from '../../../../shared/schemas/chats';
import type { Audience } from '../../access/actor';
import type { FileView } from '../../../../shared/schemas/files';
import type { ConversationRow, MessageRow } from './repo';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * A stored message as `audience` reads it; `file`: its attachment, presented (see attachments.ts:
 * it needs the file's row and a fresh URL). A visitor's view numbers it by the visitor's own
 * sequence (#6), so the internal messages between two public ones leave no gap.
 */
export function presentMessage(m: MessageRow, audience: Audience, file?: FileView): MessageView {
  if (audience === 'public' && m.visitorSeq === null) throw new Error('presentMessage: an internal message was about to reach a visitor');
  return {
    conversationId: m.conversationId,
    seq: audience === 'public' ? m.visitorSeq! : m.seq,
    clientId: m.clientId,
    author: m.author,
    authorName: m.authorName,
    body: m.body,
    createdAt: m.createdAt.toISOString(),
    // Only operators ever read internal messages (#5), so a visitor's views never carry the field.
    ...(m.visibility === 'internal' ? { visibility: 'internal' as const } : {}),
    // W2: who whispered (Respond opens the chat with them); internal messages only, so operators only.
    ...(m.visibility === 'internal' && m.operatorId ? { operatorId: m.operatorId } : {}),
    ...(file ? { file } : {}),
  };
}

export function presentConversation(c: ConversationRow): ConversationView {
  return {
    id: c.id,
    visitorId: c.visitorId,
    status: c.status,
    visitorName: c.visitorName,
    visitorEmail: c.visitorEmail,
    operatorId: c.operatorId,
    operatorName: c.operatorName,
    createdAt: c.createdAt.toISOString(),
    acceptedAt: iso(c.acceptedAt),
    closedAt: iso(c.closedAt),
    lastSeq: c.lastSeq,
    lastAuthor: c.lastAuthor,
    lastMessageAt: iso(c.lastMessageAt),
    preview: c.preview,
    departmentId: c.departmentId,
    waitingSince: c.waitingSince.toISOString(),
    escalationLevel: c.escalationLevel,
    returningVisitor: c.returningVisitor,
    operatorReadSeq: c.operatorReadSeq,
    visitorReadSeq: c.visitorReadSeq,
  };
}

/**
 * The conversation as its visitor may see it: every visitor-facing emit and ack goes through here
 * (#4). `operatorPresent`: whether its operator has a panel connected (counts only while active).
 */
export function presentVisitorConversation(c: ConversationRow, operatorPresent = false): VisitorConversationView {
  return {
    id: c.id,
    status: c.status,
    operatorName: c.operatorName,
    operatorPresent: c.status === 'active' && operatorPresent,
    // The visitor's own sequence (#6): internal messages are not counted.
    lastSeq: c.lastVisitorSeq,
    departmentId: c.departmentId,
    seen: c.seenPosition,
  };
}
