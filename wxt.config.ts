import { defineConfig } from 'wxt';

// The operator app: Chrome MV3 side panel / Firefox sidebar (+ options page = admin panel).
export default defineConfig({
  srcDir: 'extension',
  // Icons and other static files of the extension live with it (WXT's default is <root>/public).
  publicDir: 'extension/public',
  modules: ['@wxt-dev/module-vue'],
  // `npm run zip`: the store packages. Firefox's comes with the sources its reviewers rebuild it from
  // (`npm ci && npx wxt zip -b firefox`): the extension, the contract it imports, the lock file.
  zip: {
    includeSources: ['package.json', 'package-lock.json', 'tsconfig.json', 'wxt.config.ts', 'README.md', 'extension/**', 'shared/**'],
  },
  manifest: ({ browser }) => ({
    name: 'Sidedesk',
    description: 'Live chat and help desk beside any tab.',
    // `offscreen` (Chrome): the background plays the alert sounds through an offscreen document (P5, background/sounds.ts).
    // `contextMenus` (P12): entries on selected text; they read only the selection the browser hands
    // the click, so no script is injected into pages and no `scripting`/`activeTab` is needed.
    permissions: ['storage', 'notifications', 'alarms', 'contextMenus', ...(browser === 'firefox' ? [] : ['sidePanel', 'offscreen'])],
    // The server URL is chosen by the operator, so the panel may talk to any http(s) origin.
    host_permissions: ['http://*/*', 'https://*/*'],
    action: { default_title: 'Sidedesk' },
    // Firefox: a fixed id keeps the add-on's storage (the sign-in) across restarts and is what AMO
    // signs; AMO also requires new add-ons to declare the data they send. The panel sends the
    // operator's sign-in, the operators' names and emails (admin) and chat messages to the team's
    // own server.
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'sidedesk@sidedesk.dev',
          data_collection_permissions: { required: ['authenticationInfo', 'personallyIdentifyingInfo', 'personalCommunications'] },
        },
      },
    }),
  }),
});
