import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// V1 / issue #2: the widget's first load is one file of at most 30 KB gzipped, socket.io-client
// included. Since #6 the chat UI is a second file, imported when it is needed (widget/vite.config.ts).
const BUDGET = 30 * 1024;
const dist = fileURLToPath(new URL('../../../widget/dist/', import.meta.url));
const file = `${dist}widget.js`;
const uiFiles = () => (existsSync(dist) ? readdirSync(dist).filter((f) => /^widget-ui-[A-Za-z0-9_-]+\.js$/.test(f)) : []);
const gzipped = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

describe('widget bundle', () => {
  it('loads first one file within the 30 KB gzipped budget, and the chat UI as a second file', () => {
    expect(existsSync(file), `${file} is missing: run \`npm run build:widget\` first`).toBe(true);
    const js = readFileSync(file);
    const gz = gzipped(js);
    const [ui, ...more] = uiFiles();
    expect(ui, 'widget-ui-<hash>.js is missing').toBeDefined();
    expect(more).toEqual([]);
    const uiJs = readFileSync(dist + ui!);
    console.log(
      `widget.js (first load): ${kb(js.length)} minified, ${kb(gz)} gzipped (budget 30 KB); ` +
        `${ui} (on demand): ${kb(uiJs.length)} minified, ${kb(gzipped(uiJs))} gzipped`,
    );
    expect(gz).toBeLessThanOrEqual(BUDGET);
    // The first load names the UI file it imports, so a stale name can't be served with a new build.
    expect(js.toString()).toContain(ui);
  });

  it('carries its CSS inside the scripts and no schema library', () => {
    const js = readFileSync(file, 'utf8');
    const ui = readFileSync(dist + uiFiles()[0]!, 'utf8');
    // The launcher's styles come with the first load, the panel's with the UI.
    expect(js).toContain(':host{all:initial');
    expect(js).not.toContain('.composer{');
    expect(ui).toContain('.composer{');
    expect(ui).toContain('.invite{');
    expect(existsSync(`${dist}widget.css`)).toBe(false);
    // zod is the server's validator; a value import from shared/schemas would drag it in.
    for (const part of [js, ui]) expect(part).not.toMatch(/ZodError|\$ZodType/);
  });

  it('carries only the parts of the client protocol it uses (#5)', () => {
    // The preview rule is the panel's and the server's; its Intl.Segmenter is missing before Firefox 125.
    for (const part of [readFileSync(file, 'utf8'), readFileSync(dist + uiFiles()[0]!, 'utf8')]) expect(part).not.toContain('Segmenter');
  });
});
