/** What the team feature tells the others, after commit (server/src/events/bus.ts). */
declare module '../../events/bus' {
  interface DomainEvents {
    /** An admin disabled an operator (A5): their sessions are revoked; their chats must not wait on them. */
    'operator.disabled': { accountId: string; operatorId: string; name: string };
  }
}

export {};
