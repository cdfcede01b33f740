/** The side panel's frame: header, account menu, connection status, section tabs (Q6). */
export const app = {
  menu: 'Account menu',
  signedInAs: (name: string, account: string) => `${name} · ${account}`,
  openAdmin: 'Admin panel',
  signOut: 'Sign out',
  status: { connected: 'Online', connecting: 'Connecting…', offline: 'Offline' } as const,
  statusTitle: { connected: 'Connected to the server', connecting: 'Connecting to the server…', offline: 'Not connected — retrying' } as const,
  offlineBanner: 'Offline — reconnecting. Messages you send are kept and delivered when the connection is back.',
  tabsLabel: 'Sections',
  resizePane: 'Resize chat pane',
};
