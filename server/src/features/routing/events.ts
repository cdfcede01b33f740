/** What availability and departments tell the other features, after commit (server/src/events/bus.ts). */
declare module '../../events/bus' {
  interface DomainEvents {
    /**
     * P11/A1 (#6): who can take the account's chats may have changed (a status, a connection, a
     * limit, a department). `capacity`: someone may take more chats than before, so a waiting
     * queue may drain now (auto-assign).
     */
    'availability.changed': { accountId: string; capacity: boolean };
  }
}

export {};
