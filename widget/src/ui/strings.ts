/**
 * Every text the visitor sees, in one place (Q6). To translate, replace this object;
 * functions take the variable parts so word order can change per language.
 */
export const strings = {
  openChat: 'Open chat',
  closeChat: 'Close chat',
  minimize: 'Minimize chat',
  panelLabel: 'Chat with us',
  unread: (n: number) => (n === 1 ? '1 unread message' : `${n} unread messages`),

  greeting: 'Hi there 👋',
  intro: 'Ask us anything. We usually reply within a few minutes.',
  /** Nobody is online (#5): say exactly what happens to the form. */
  introOffline: "No one is online right now. Leave your message and email, and we'll reply by email.",
  online: 'We are online',
  offline: 'We are away',

  nameLabel: 'Your name',
  emailLabel: 'Email',
  questionLabel: 'How can we help?',
  namePlaceholder: 'Jane Doe',
  emailPlaceholder: 'jane@example.com',
  questionPlaceholder: 'Type your question…',
  nameRequired: 'Please tell us your name.',
  emailRequired: 'Please enter your email address.',
  emailInvalid: 'That email address does not look right.',
  questionRequired: 'Please write your question.',
  questionTooLong: (max: number) => `Please keep it under ${max} characters.`,
  startChat: 'Start chat',
  starting: 'Starting…',
  sendOffline: 'Send message',
  sendingOffline: 'Sending…',
  notConnected: 'We cannot reach the chat server right now. Please try again in a moment.',
  startRejected: "We can't send this question. Please change it and try again.",
  genericError: 'Something went wrong. Please try again.',

  waiting: 'Waiting for an operator…',
  waitingNote: 'Thanks! Someone from the team will be with you shortly. Feel free to keep browsing: this chat follows you from page to page.',
  /** The form was sent while nobody was online, and nobody is yet (#5). */
  offlineNote: (email: string) => (email ? `Thanks — we got your message and will reply to ${email}.` : 'Thanks — we got your message and will reply by email.'),
  operatorHere: (name: string) => `${name} is here`,
  /** The operator of the chat has no panel connected any more (#5). */
  operatorLeft: (name: string) => `${name} has left`,
  operatorLeftNote: "We'll reply as soon as someone is back.",
  chatEnded: 'Chat ended',
  newChat: 'Start a new chat',
  endedNote: 'This conversation has ended. Need anything else?',
  reconnecting: 'Reconnecting…',
  typing: (name: string) => `${name} is typing…`,
  someone: 'Operator',

  you: 'You',
  sending: 'Sending…',
  failed: 'Not sent.',
  retry: 'Retry',
  rejected: "This message can't be sent.",
  edit: 'Edit',
  editLabel: 'Edit this message',
  remove: 'Remove',
  removeLabel: 'Remove this message',
  messagePlaceholder: 'Write a message…',
  messageLabel: 'Message',
  send: 'Send message',
  messages: 'Messages',
  poweredBy: 'Powered by Sidedesk',
};

