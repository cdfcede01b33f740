/** What the visitors feature tells the others, after commit (server/src/events/bus.ts). */
declare module '../../events/bus' {
  interface DomainEvents {
    /** "Forget this visitor" deleted the visitor with their conversations (#4); their files' bytes go too (#5). */
    'visitor.forgotten': { accountId: string; visitorId: string; conversationIds: string[] };
  }
}

export {};
