/** The admin panel's "Account" domain: the account's facts, the websites its widget may run on (#4), the idle time (P3). */
export const account = {
  nav: 'Account',
  title: 'Account',
  facts: 'Connection',
  server: 'Server',
  operator: 'Signed in as',
  account: 'Account',
  role: 'Role',

  originsTitle: 'Website addresses',
  originsIntro:
    "The chat widget runs only on these websites and on this server's own demo site. On any other site it stays hidden, and the browser's console says why.",
  originsLoading: 'Loading website addresses…',
  originsLoadFailed: (why: string) => `Could not load the website addresses. ${why}`,
  originsRetry: 'Try again',
  originsEmpty: "No website yet: the widget runs only on this server's demo site.",
  originsListLabel: 'Allowed website addresses',
  originsRemove: (origin: string) => `Remove ${origin}`,
  originsRemoveShort: 'Remove',
  originsAddLabel: 'Add a website',
  originsAddHint: 'For example https://shop.example.com, or https://*.example.com for all its subdomains.',
  originsAdd: 'Add',
  originsDuplicate: 'This website is already in the list.',
  originsSave: 'Save',
  originsSaving: 'Saving…',
  originsSaved: 'Saved. Widgets that connect from now on follow the new list.',
  originsUnsaved: 'Not saved yet.',
  originsSaveFailed: (why: string) => `Could not save. ${why}`,
  originsReadOnly: 'Only an admin can change these.',

  // P3: idle visitors
  idleTitle: 'Idle visitors',
  idleIntro:
    'A chat whose visitor gives no input (no message, no typing, no new page) for this long shows as idle in every operator’s panel, while it is the visitor’s turn.',
  idleLoading: 'Loading…',
  idleLabel: 'Idle after (minutes)',
  idleHint: 'A whole number of minutes from 1 to 120. The default is 5.',
  idleInvalid: 'Enter a whole number of minutes from 1 to 120.',
  idleSaved: 'Saved. Panels use it from their next connection.',
  idleReadOnly: (minutes: number) => `Chats show as idle after ${minutes} minute${minutes === 1 ? '' : 's'} without input. Only an admin can change this.`,
};
