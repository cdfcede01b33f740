/** The admin panel's frame (the options page): navigation and the gates in front of every domain. */
export const admin = {
  title: 'Sidedesk admin',
  navLabel: 'Admin sections',
  signedInAs: (name: string, role: string) => `${name} · ${role}`,
  notAllowedTitle: 'Only admins can open this',
  notAllowedBody: (account: string) => `Your role can't change ${account}'s settings. Ask one of its admins, or sign in as an admin.`,
};
