/**
 * The store packages `npm run zip` makes (`npm test` makes them first), opened as the stores open
 * them: each zip's manifest, the files it names, and the sources zip Firefox's reviewers rebuild from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string };

/** Every file in one of the zips, by path. */
function open(kind: 'chrome' | 'firefox' | 'sources'): Record<string, Uint8Array> {
  const file = `.output/${name}-${version}-${kind}.zip`;
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run zip\` first`);
  return unzipSync(readFileSync(file));
}

function manifestOf(files: Record<string, Uint8Array>): Record<string, any> {
  const manifest = files['manifest.json'];
  if (!manifest) throw new Error('the zip has no manifest.json at its root');
  return JSON.parse(new TextDecoder().decode(manifest));
}

/** Firefox's data types (extensionworkshop.com, "Firefox built-in consent for data collection"). */
const FIREFOX_DATA_TYPES = [
  'authenticationInfo',
  'bookmarksInfo',
  'browsingActivity',
  'financialAndPaymentInfo',
  'healthInfo',
  'locationInfo',
  'personalCommunications',
  'personallyIdentifyingInfo',
  'searchTerms',
  'websiteActivity',
  'websiteContent',
];

describe('store packages (npm run zip)', () => {
  it('Chrome: an MV3 package with the side panel, its pages and icons, named and versioned from package.json', () => {
    const files = open('chrome');
    const m = manifestOf(files);
    expect(m).toMatchObject({ manifest_version: 3, name: 'Sidedesk', version });
    expect(m.permissions).toEqual(expect.arrayContaining(['sidePanel', 'storage', 'notifications', 'alarms']));
    expect(m.host_permissions).toEqual(['http://*/*', 'https://*/*']);
    expect(m.side_panel).toEqual({ default_path: 'sidepanel.html' });
    expect(m.background).toMatchObject({ service_worker: 'background.js' });
    expect(m.browser_specific_settings).toBeUndefined();
    for (const path of ['sidepanel.html', m.options_ui?.page ?? m.options_page, 'background.js', ...Object.values<string>(m.icons)]) {
      expect(files, path).toHaveProperty([path]);
    }
  });

  it('Firefox: an MV2 package with the sidebar, a fixed add-on id and its data collection declared', () => {
    const files = open('firefox');
    const m = manifestOf(files);
    expect(m).toMatchObject({ manifest_version: 2, name: 'Sidedesk', version });
    expect(m.sidebar_action).toMatchObject({ default_panel: 'sidepanel.html', open_at_install: false });
    expect(m.permissions).toEqual(expect.arrayContaining(['storage', 'notifications', 'alarms', 'http://*/*', 'https://*/*']));
    expect(m.permissions).not.toContain('sidePanel');
    expect(m.side_panel).toBeUndefined();

    const gecko = m.browser_specific_settings?.gecko;
    expect(gecko?.id).toBe('sidedesk@sidedesk.dev');
    const required: string[] = gecko?.data_collection_permissions?.required ?? [];
    expect(required.length).toBeGreaterThan(0);
    // "none" stands alone; anything else must be one of Firefox's data types.
    if (!required.includes('none')) for (const type of required) expect(FIREFOX_DATA_TYPES).toContain(type);
    else expect(required).toEqual(['none']);

    for (const path of ['sidepanel.html', m.options_ui.page, ...m.background.scripts, ...Object.values<string>(m.icons)]) {
      expect(files, path).toHaveProperty([path]);
    }
  });

  it('Firefox sources: what rebuilds the extension (lock file included), and nothing else', () => {
    const paths = Object.keys(open('sources'));
    expect(paths).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'wxt.config.ts', 'extension/entrypoints/background.ts', 'shared/events/index.ts']),
    );
    const outside = paths.filter((p) => !/^(extension|shared)\//.test(p) && !p.includes('/'));
    expect(outside.sort()).toEqual(['README.md', 'package-lock.json', 'package.json', 'tsconfig.json', 'wxt.config.ts']);
    expect(paths.filter((p) => !/^(extension|shared)\//.test(p) && p.includes('/'))).toEqual([]);
    expect(paths.filter((p) => /(^|\/)(node_modules|\.output|data)\//.test(p))).toEqual([]);
  });
});
