/** What the chats feature tells the others, after commit (server/src/events/bus.ts). */
declare module '../../events/bus' {
  interface DomainEvents {
    /** A visitor started a chat with the pre-chat form (their name and email may have changed). */
    'chat.started': { accountId: string; visitorId: string; conversationId: string };
  }
}

export {};
