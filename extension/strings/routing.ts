/** Availability, "View operators", transfers (panel) and departments and routing (admin): P11, A1, P5 (#6). */
export const routing = {
  // The status control in the panel's header
  statusLabel: 'Your status',
  status: { online: 'Online', away: 'Away', offline: 'Offline' } as const,
  autoAway: 'Away (inactive)',
  statusFailed: (why: string) => `Couldn't change your status: ${why}`,

  // "View operators" (the Team tab)
  tab: 'Team',
  heading: 'Operators',
  loading: 'Loading operators…',
  empty: 'No operators yet.',
  you: '(you)',
  load: (n: number, max: number) => `${n}/${max} chats`,
  loadLabel: (n: number, max: number) => `${n} of ${max} chats`,
  noDepartment: 'All chats',
  onlineCount: (n: number) => (n === 1 ? '1 online' : `${n} online`),
  myAutoAway: 'Away after minutes without activity',
  myAutoAwayHint: (n: number) => `Empty: the account's ${n} minutes; 0: never.`,
  save: 'Save',
  saved: 'Saved.',

  // Transfer (P5)
  transfer: 'Transfer',
  transferTitle: (name: string) => `Transfer the chat with ${name}`,
  transferTo: 'To',
  transferPick: 'Choose…',
  operatorsGroup: 'Operators online',
  departmentsGroup: 'Departments (back to waiting)',
  operatorOption: (name: string, load: number, max: number) => `${name} — ${load}/${max}`,
  full: 'full',
  note: 'Note for the next operator (the visitor never sees it)',
  notePlaceholder: 'What they should know…',
  send: 'Transfer',
  sending: 'Transferring…',
  cancel: 'Cancel',
  pickFirst: 'Choose where the chat goes.',

  // Admin: departments
  nav: 'Departments',
  title: 'Departments',
  intro:
    'Chats go to a department when the visitor picks one in the pre-chat form (offered when two or more have someone online) or when an operator transfers them. An operator may be in several.',
  newLabel: 'New department',
  newPlaceholder: 'Billing',
  add: 'Add',
  adding: 'Adding…',
  nameLabel: (name: string) => `Name of ${name}`,
  rename: 'Rename',
  members: 'Operators',
  saveMembers: 'Save operators',
  remove: 'Delete',
  removeConfirm: (name: string) => `Delete ${name}? Its chats go to every operator.`,
  removeYes: 'Delete',
  none: 'No departments yet: every operator sees every chat.',
  loadFailed: (why: string) => `Couldn't load: ${why}`,
  failed: (why: string) => `Not saved: ${why}`,
  created: (name: string) => `${name} added.`,
  renamed: (name: string) => `Renamed to ${name}.`,
  membersSaved: (name: string) => `Operators of ${name} saved.`,
  removed: (name: string) => `${name} deleted.`,

  // Admin: routing settings (on the Account page)
  settingsTitle: 'Routing',
  mode: 'How waiting chats reach operators',
  modes: {
    manual: 'Manual: the department sees a waiting chat and someone accepts it',
    auto: 'Auto-assign: to the online operator of the department with the fewest chats',
  } as const,
  escalation: 'Alert again after (seconds waiting; 0: never)',
  escalationHint: 'First the department again, then every online operator after as long again.',
  autoAwayDefault: 'Operators go away after (minutes without activity; 0: never)',
  settingsSaved: 'Routing saved.',

  // Admin: limits (on the Team page)
  limitsTitle: 'Chats at once',
  limitsIntro: 'The most chats each operator has at once: auto-assign and Accept both stop there.',
  limitOf: (name: string) => `Chats at once for ${name}`,
  limitSaved: (name: string, n: number) => `${name} now takes up to ${n} chats.`,
};
