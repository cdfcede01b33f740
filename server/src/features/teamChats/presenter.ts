import type { TeamChatView, TeamMessageView } from '../../../../shared/schemas/teamChats';
import type { MemberRow, TeamChatRow, TeamMessageRow } from './repo';

export function presentTeamChat(chat: TeamChatRow, members: MemberRow[]): TeamChatView {
  return {
    id: chat.id,
    members: members.filter((m) => m.chatId === chat.id).map((m) => ({ operatorId: m.operatorId, name: m.name, readSeq: m.readSeq })),
    lastSeq: chat.lastSeq,
    lastMessageAt: chat.lastMessageAt?.toISOString() ?? null,
    preview: chat.preview,
    createdAt: chat.createdAt.toISOString(),
  };
}

export function presentTeamMessage(m: TeamMessageRow): TeamMessageView {
  return {
    teamChatId: m.chatId,
    seq: m.seq,
    clientId: m.clientId,
    operatorId: m.operatorId,
    authorName: m.authorName,
    body: m.body,
    ref: m.ref ?? null,
    createdAt: m.createdAt.toISOString(),
  };
}
