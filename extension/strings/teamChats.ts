/** Internal chats between operators (W3) and Respond on a whisper (W2). */
export const teamChats = {
  /** The Chats tab's section of internal chats. */
  section: (n: number) => `Team (${n})`,
  /** Marks an internal chat wherever it is listed (a tab of the pane, the list). */
  internal: 'Internal chat with colleagues',
  /** The Team tab's action on a colleague's row. */
  message: 'Message',
  /** Starts with the visible word, so speech users can say what they see (WCAG 2.5.3). */
  messageLabel: (name: string) => `Message ${name}`,
  messageTitle: (name: string) => `Chat with ${name} (operators only)`,
  /** The header of an internal chat. */
  title: (names: string[]) => names.join(', '),
  subtitle: 'Internal · visitors never see this',
  close: 'Close this internal chat',
  placeholder: (name: string) => `Message ${name}`,
  send: 'Send',
  loading: 'Loading…',
  empty: 'No messages yet. Say hello.',
  typing: (name: string) => `${name} is typing…`,
  seen: 'Seen',
  sending: 'Sending…',
  failed: (why: string) => `Not sent: ${why}`,
  discard: 'Discard',
  unread: (n: number) => `${n} unread`,
  /** W2: on a whisper. */
  respond: 'Respond',
  respondTitle: (name: string) => `Answer ${name} in an internal chat`,
  /** W2: the quoted whisper in an internal chat. */
  quoteOf: (author: string, visitor: string) => `${author}’s whisper in the chat with ${visitor}`,
  openChat: 'Open the visitor chat',
  /** A desktop notification of a colleague's message. */
  notifyTitle: (name: string) => `${name} (internal chat)`,
  respondedToWhisper: 'Responded to a whisper',
} as const;
