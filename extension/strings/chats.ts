/** Chats: the queue, the chat window, the composer, and the background's badge and notifications (P5, Q1). */
export const chats = {
  tab: 'Chats',
  heading: 'Chats',
  waiting: (n: number) => `Waiting (${n})`,
  mine: (n: number) => `My chats (${n})`,
  loadingList: 'Loading chats…',
  empty: 'No chats waiting. New chats appear here and as desktop notifications.',
  accept: 'Accept',
  accepting: 'Accepting…',
  open: 'Open',
  waitingFor: (d: string) => `waiting ${d}`,
  unread: (n: number) => `${n} unread`,
  needsReply: 'Needs your reply',
  replied: 'Waiting for visitor',
  /** P3: the visitor gave no input for the account's idle time while it was their turn. */
  idle: (d: string) => `Idle for ${d}`,
  idleShort: 'Idle',
  /** P3 blue: beside the name. */
  returning: 'Returning',
  returningTitle: 'This visitor has chatted before',
  invited: 'Invited',
  invitedTitle: 'This chat began with an invitation',
  /** P3: how long the visitor has waited for an answer (yellow). */
  waitingAnswer: (d: string) => `waiting ${d}`,
  waitingAnswerLabel: (d: string) => `The visitor has waited ${d} for an answer`,
  waitingAcceptLabel: (d: string) => `Waiting ${d} to be accepted`,
  /** P5: under the operator's last message, once the visitor's widget has shown it. */
  seenByVisitor: 'Seen',

  // The chat window
  windowLabel: 'Chat',
  switcher: 'Open chats',
  /** The "+2" button of open chats that don't fit beside the others. */
  more: (n: number) => `+${n}`,
  moreLabel: (n: number) => (n === 1 ? '1 more open chat' : `${n} more open chats`),
  close: 'Close chat',
  closing: 'Closing…',
  dismiss: 'Remove from open chats',
  status: { waiting: 'Waiting', active: 'Active', closed: 'Closed' } as const,
  closedNote: 'This chat is closed.',
  /** P5 (#6): pick a closed chat up again (it becomes yours, live for the visitor). */
  reopen: 'Reopen',
  reopening: 'Reopening…',
  /** The visitor's last tab closed (#5); they see replies when they come back, or get them by email. */
  visitorLeft: (name: string) => `${name} left the site`,
  replyByEmail: 'Reply by email',
  acceptToReply: 'Accept the chat to reply.',
  loading: 'Loading conversation…',
  noMessages: 'No messages yet.',
  /** Files in chats (#5, P7). */
  files: {
    attach: 'Attach a file',
    drop: 'Drop files to send them',
    uploadsLabel: 'Files being sent',
    uploading: (name: string) => `Uploading ${name}`,
    uploadFailed: "Couldn't upload.",
    retry: 'Retry',
    retryLabel: (name: string) => `Upload ${name} again`,
    remove: 'Remove',
    removeLabel: (name: string) => `Remove ${name}`,
    download: (name: string, size: string) => `Download ${name}, ${size}`,
    openImage: (name: string) => `Open ${name} full size in a new tab`,
  },
  messagesLabel: (name: string) => `Conversation with ${name}`,
  composerLabel: 'Message',
  composerPlaceholder: 'Write a reply…',
  composerHint: 'Enter sends · Shift+Enter adds a line',
  send: 'Send',
  sending: 'Sending…',
  queued: 'Queued — will send when back online',
  rejected: "This message can't be sent.",
  /** Why, by the server's error code (#4). */
  rejectedWhy: (code: string | undefined) =>
    code === 'chat_closed' ? 'The chat is closed.' : code === 'not_found' ? 'The chat no longer exists.' : 'Edit it and send it again.',
  edit: 'Edit',
  editLabel: 'Edit this message',
  discard: 'Discard',
  discardLabel: 'Remove this message',
  you: 'You',
  typing: (name: string) => `${name} is typing…`,
  noChatOpen: 'Accept a waiting chat or open one of yours to chat here.',

  // The background: desktop notifications and the toolbar badge
  notify: {
    newChatTitle: (name: string) => `New chat from ${name}`,
    newChatBody: (preview: string) => preview || 'A visitor wants to chat.',
    messageTitle: (name: string) => `${name} wrote`,
    newChatsTitle: (n: number) => `${n} new chats`,
    /** P12: the account menu's choice of an Accept button on new-chat notifications (Chrome). */
    heading: 'Notifications',
    acceptButton: 'Accept button on new chats',
    newChatsBody: (names: string[]) =>
      names.length <= 3
        ? `From ${names.slice(0, -1).join(', ')}${names.length > 1 ? ' and ' : ''}${names.at(-1) ?? ''}`
        : `From ${names.slice(0, 2).join(', ')} and ${names.length - 2} more`,
  },
  /** P5: the toolbar button's title: chats waiting to be accepted, and chats of mine with unread messages. */
  badgeTitle: (waiting: number, unread = 0) => {
    const parts = [
      waiting ? (waiting === 1 ? '1 chat waiting' : `${waiting} chats waiting`) : '',
      unread ? (unread === 1 ? '1 chat with unread messages' : `${unread} chats with unread messages`) : '',
    ].filter(Boolean);
    return parts.length ? `Sidedesk — ${parts.join(', ')}` : 'Sidedesk';
  },
  /** P5: the Chats tab's count in words. */
  badgeLabel: (waiting: number, unread: number) =>
    [waiting ? `${waiting} waiting` : '', unread ? (unread === 1 ? '1 chat with unread messages' : `${unread} chats with unread messages`) : '']
      .filter(Boolean)
      .join(', '),
  /** P5: sounds, in the account menu (kept in this browser). */
  sounds: {
    heading: 'Sounds',
    newChat: 'New waiting chat',
    newMessage: 'New message in another chat',
  },
};
