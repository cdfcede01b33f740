/** What the ratings feature tells the others, after commit (server/src/events/bus.ts). */
declare module '../../events/bus' {
  interface DomainEvents {
    /** A visitor rated their ended chat, or changed their rating (reports, A6, hang off this). */
    'chat.rated': { accountId: string; conversationId: string; score: 'good' | 'bad'; changed: boolean };
  }
}

export {};
