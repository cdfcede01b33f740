/**
 * Room names, built only here so that every emit targets the same rooms and a Redis adapter
 * can route them across nodes.
 */
export const rooms = {
  /** /operator: every connected operator socket of an account. */
  accountOperators: (accountId: string) => `account:${accountId}:operators`,
  /** /operator: every socket of one operator, on every node (their assigned chats' messages, #3). */
  operator: (operatorId: string) => `operator:${operatorId}`,
  /**
   * /operator: sockets that opened one conversation (`chat:get`, `chat:sync`, `chat:accept`), so a
   * panel showing a waiting chat or a colleague's chat gets its messages live (#3).
   */
  conversationWatchers: (conversationId: string) => `conversation:${conversationId}:watchers`,
  /**
   * /operator: the sockets monitoring one conversation that is not their operator's (W4,
   * `chat:watch`): who is in it is what its operator sees as "Watched by". They are in
   * `conversationWatchers` too, which carries the messages.
   */
  conversationMonitors: (conversationId: string) => `conversation:${conversationId}:monitors`,
  /** /operator: sockets showing one visitor's navigation history (`visitor:history`, P6): their pages live. */
  visitorWatchers: (visitorId: string) => `visitor:${visitorId}:watchers`,
  /** /operator: every socket of one login session (revoking it disconnects them). */
  operatorSession: (sessionId: string) => `session:${sessionId}`,
  /** /visitor: every connected visitor socket of an account (presence for the grid). */
  accountVisitors: (accountId: string) => `account:${accountId}:visitors`,
  /** /visitor: all tabs of one visitor. */
  visitor: (visitorId: string) => `visitor:${visitorId}`,
};
