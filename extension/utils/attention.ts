/**
 * What asks for the operator's attention (P3, P5), as pure rules shared by the panel and the
 * background: the colour of a chat (with idle on the panel's clock), how long its visitor has
 * waited, unread messages, and the toolbar badge's count.
 */
import { roleReaches } from '@@/shared/contract';
import type { Role } from '@@/shared/schemas/auth';
import type { AuthorType, ConversationView } from '@@/shared/schemas/chats';
import { withIdle } from '@@/shared/visitorState';

/** The colour state of a chat for the operator (P3): red, yellow, green, idle, or closed. */
export type ChatAttention = 'waiting' | 'needs_reply' | 'replied' | 'idle' | 'closed';

/** The panel's clock for idle (P3): now, the account's idle time, and the visitor's last input this panel saw (typing, a page view). */
export interface IdleClock {
  now: number;
  idleAfterMs: number;
  lastInputAt?: number | string | null;
}

const at = (t: number | string | null | undefined) => (t == null || t === '' ? -Infinity : typeof t === 'number' ? t : Date.parse(t));

/**
 * Red while the chat waits to be accepted, yellow while the visitor waits for an answer, green
 * while it is the visitor's turn, idle once the visitor has given no input for the idle time
 * while it is their turn (measured from the later of the last message and their last input).
 */
export function chatAttention(c: ConversationView, clock?: IdleClock): ChatAttention {
  if (c.status === 'waiting') return 'waiting';
  if (c.status === 'closed') return 'closed';
  const base = c.lastAuthor === 'operator' ? 'replied' : 'needs_reply';
  if (!clock) return base;
  const last = Math.max(at(c.lastMessageAt), at(clock.lastInputAt));
  return withIdle(base, Number.isFinite(last) ? last : null, clock.now, clock.idleAfterMs) as ChatAttention;
}

/** P3 blue, beside the name: the chat began with an invitation, or the visitor chatted before. */
export function blueMark(c: Pick<ConversationView, 'invited' | 'returningVisitor'>): 'invited' | 'returning' | null {
  return c.invited ? 'invited' : c.returningVisitor ? 'returning' : null;
}

interface Said {
  author: AuthorType;
  seq: number | null;
  createdAt: string;
  visibility?: 'internal';
}

/**
 * Since when the visitor has been waiting (P3): a chat not yet accepted since it began; an
 * active one whose visitor spoke last since their first message after the operator's last
 * (from the messages held, else their last message). Null when nobody waits for us.
 */
export function waitingSince(c: ConversationView, messages: readonly Said[] = []): string | null {
  if (c.status === 'waiting') return c.createdAt;
  if (c.status !== 'active' || c.lastAuthor !== 'visitor') return null;
  let since: string | null = null;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    // W1: a whisper is no answer: the visitor still waits.
    if (m.author === 'operator' && m.visibility !== 'internal') break;
    if (m.author === 'visitor') since = m.createdAt;
  }
  return since ?? c.lastMessageAt;
}

/** P5: the visitor's messages after the operator's read position. */
export function unreadCount(messages: readonly Said[], readSeq: number): number {
  let n = 0;
  for (const m of messages) if (m.author === 'visitor' && m.seq !== null && m.seq > readSeq) n++;
  return n;
}

/**
 * P5: whether one of the operator's chats has unread visitor messages, from the conversation
 * alone (the background holds no messages): its last visitor message (`lastVisitorSeq`, when
 * seen live) or, failing that, its last message if the visitor wrote it, is past the read position.
 */
export function hasUnread(c: ConversationView, operatorId: string | null | undefined, lastVisitorSeq?: number): boolean {
  if (c.status !== 'active' || !operatorId || c.operatorId !== operatorId) return false;
  const last = lastVisitorSeq ?? (c.lastAuthor === 'visitor' ? c.lastSeq : 0);
  return last > c.operatorReadSeq;
}

/** Who is looking (A1): their role and departments (null until known). */
export interface Viewer {
  role: Role;
  departmentIds: readonly string[] | null;
}

/**
 * Whether a waiting chat is this operator's to see (A1): a chat of no department, of one of
 * theirs, or escalated to everyone; supervisors and admins see all. Until their departments are
 * known, everything counts (better one chat too many than one missed).
 */
export function isWaitingChatFor(c: Pick<ConversationView, 'departmentId' | 'escalationLevel'>, viewer: Viewer): boolean {
  if (!c.departmentId || c.escalationLevel >= 2 || roleReaches(viewer.role, 'supervisor') || !viewer.departmentIds) return true;
  return viewer.departmentIds.includes(c.departmentId);
}

/** P5: the toolbar badge: chats waiting for me to accept (A1: `forMe`), and chats of mine with unread messages. */
export function badgeCounts(
  conversations: Iterable<ConversationView>,
  operatorId: string | null | undefined,
  lastVisitorSeq: (conversationId: string) => number | undefined = () => undefined,
  forMe: (c: ConversationView) => boolean = () => true,
): { waiting: number; unread: number } {
  let waiting = 0;
  let unread = 0;
  for (const c of conversations) {
    if (c.status === 'waiting') {
      if (forMe(c)) waiting++;
    } else if (hasUnread(c, operatorId, lastVisitorSeq(c.id))) unread++;
  }
  return { waiting, unread };
}
