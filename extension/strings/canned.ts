/** Canned responses (P10, #6): the composer's `/` list, the panel's manager and the options page's admin page. */
export const canned = {
  nav: 'Canned responses',
  title: 'Canned responses',
  adminIntro: (account: string) =>
    `Replies everyone in ${account} can insert by typing / and the shortcut in a chat. Operators also keep their own in the side panel.`,
  panelIntro: 'Type / in a reply to insert one. Yours are only yours; the team’s are managed by admins.',
  search: 'Search',
  searchPlaceholder: 'Search shortcuts and text',
  create: 'New response',
  refresh: 'Refresh',
  loading: 'Loading canned responses…',
  loadFailed: (why: string) => `Could not load the canned responses. ${why}`,
  retry: 'Try again',
  empty: 'No canned responses yet.',
  emptyAdmin: 'No canned responses yet. Create the first one: a shortcut, a title and the text.',
  noMatch: (q: string) => `Nothing matches “${q}”.`,
  count: (n: number) => (n === 1 ? '1 response' : `${n} responses`),
  yours: 'Yours',
  team: 'Team’s',
  teamReadOnly: 'Only admins change these (in the admin panel).',
  scope: { personal: 'Yours', account: 'Team' } as const,
  edit: 'Edit',
  editLabel: (shortcut: string) => `Edit /${shortcut}`,
  remove: 'Delete',
  removeLabel: (shortcut: string) => `Delete /${shortcut}`,
  confirmRemoveTitle: (shortcut: string) => `Delete /${shortcut}?`,
  confirmRemoveBody: 'It can no longer be inserted. Messages already sent stay as they are.',
  cancel: 'Cancel',
  close: 'Close',

  // The form
  createTitle: 'New canned response',
  editTitle: (shortcut: string) => `Edit /${shortcut}`,
  shortcut: 'Shortcut',
  shortcutHint: 'Typed after / in a reply: letters, digits, - and _.',
  titleLabel: 'Title',
  titleHint: 'What the list shows beside the shortcut.',
  body: 'Text',
  bodyHint: 'Placeholders are filled in from the chat:',
  insertPlaceholder: (p: string) => `Insert {${p}}`,
  teamWide: 'For the whole team',
  save: 'Save',
  saving: 'Saving…',
  missing: { shortcut: 'Enter a shortcut', title: 'Enter a title', body: 'Enter the text' } as const,

  done: {
    created: (shortcut: string) => `/${shortcut} created.`,
    saved: (shortcut: string) => `/${shortcut} saved.`,
    removed: (shortcut: string) => `/${shortcut} deleted.`,
  },
  failed: (why: string) => `That didn't work. ${why}`,

  // The composer's list
  listLabel: 'Canned responses',
  listHint: '↑↓ choose · Enter inserts · Esc closes',
  listCount: (n: number) =>
    n === 0
      ? 'No canned response matches'
      : n === 1
        ? '1 canned response; ↑ ↓ to choose, Enter to insert'
        : `${n} canned responses; ↑ ↓ to choose, Enter to insert`,
  listEmpty: (q: string) => (q ? `No canned response matches /${q}` : 'No canned responses yet'),
  manage: 'Manage…',
  open: 'Canned responses (/)',
};
