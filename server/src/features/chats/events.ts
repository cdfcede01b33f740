/** What the chats feature tells the others, after commit (server/src/events/bus.ts). */
declare module '../../events/bus' {
  interface DomainEvents {
    /** A visitor started a chat with the pre-chat form (their name and email may have changed). */
    'chat.started': { accountId: string; visitorId: string; conversationId: string };
    /** An operator accepted a waiting chat, or auto-assignment gave it to them (#6). */
    'chat.accepted': { accountId: string; conversationId: string; operatorId: string };
    /** Either side closed the chat (transcripts, ratings and reports hang off this). Also recorded inside its transaction. */
    'chat.closed': { accountId: string; conversationId: string; visitorId: string; by: 'visitor' | 'operator' };
    /**
     * P5 (#6): an operator reopened a closed chat: active again, assigned to them (`operatorId`).
     * Also recorded inside its transaction (the archive takes the chat out, durably).
     */
    'chat.reopened': { accountId: string; conversationId: string; visitorId: string; operatorId: string };
    /** P5 (#6): a chat went to another operator (`toOperatorId`) or back to a department's queue (null). */
    'chat.transferred': { accountId: string; conversationId: string; fromOperatorId: string | null; toOperatorId: string | null };
    /** A new message was stored (not a resend); `visibility` says who may read it. */
    'message.stored': { accountId: string; conversationId: string; seq: number; author: 'visitor' | 'operator' | 'system'; visibility: 'public' | 'internal' };
  }
}

export {};
