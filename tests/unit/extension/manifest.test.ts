/**
 * The built extension's manifests (`npm test` builds both first): Chrome gets an MV3 side panel,
 * Firefox a sidebar from the same entrypoint, and neither asks for what the other rejects.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

function manifest(target: 'chrome-mv3' | 'firefox-mv2') {
  const file = `.output/${target}/manifest.json`;
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build:extension\` first`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
}

describe('extension manifests', () => {
  it('Chrome: MV3 service worker and the side panel', () => {
    const m = manifest('chrome-mv3');
    expect(m.manifest_version).toBe(3);
    expect(m.background.service_worker).toBe('background.js');
    expect(m.side_panel.default_path).toBe('sidepanel.html');
    // Exactly these: P12's context menu adds `contextMenus` only (no scripting, no activeTab: nothing is injected into pages).
    expect([...m.permissions].sort()).toEqual(['alarms', 'contextMenus', 'notifications', 'offscreen', 'sidePanel', 'storage']);
    expect(m.host_permissions).toEqual(['http://*/*', 'https://*/*']);
  });

  it('Firefox: the same panel as a sidebar, without the Chrome-only sidePanel permission', () => {
    const m = manifest('firefox-mv2');
    expect(m.sidebar_action.default_panel).toBe('sidepanel.html');
    expect(m.sidebar_action.open_at_install).toBe(false);
    // MV2 lists the host permissions with the others.
    expect([...m.permissions].sort()).toEqual(['alarms', 'contextMenus', 'http://*/*', 'https://*/*', 'notifications', 'storage']);
  });
});
