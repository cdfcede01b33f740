import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// V1 / issue #2: the widget ships as one file of at most 30 KB gzipped, socket.io-client included.
const BUDGET = 30 * 1024;
const file = fileURLToPath(new URL('../../../widget/dist/widget.js', import.meta.url));

describe('widget bundle', () => {
  it('is one file within the 30 KB gzipped budget', () => {
    expect(existsSync(file), `${file} is missing: run \`npm run build:widget\` first`).toBe(true);
    const js = readFileSync(file);
    const gz = gzipSync(js, { level: 9 }).length;
    console.log(`widget.js: ${(js.length / 1024).toFixed(1)} KB minified, ${(gz / 1024).toFixed(1)} KB gzipped (budget 30 KB)`);
    expect(gz).toBeLessThanOrEqual(BUDGET);
  });

  it('carries its CSS inside the script and no schema library', () => {
    const js = readFileSync(file, 'utf8');
    expect(js).toContain(':host{all:initial');
    expect(existsSync(fileURLToPath(new URL('../../../widget/dist/widget.css', import.meta.url)))).toBe(false);
    // zod is the server's validator; a value import from shared/schemas would drag it in.
    expect(js).not.toMatch(/ZodError|\$ZodType/);
  });

  it('carries only the parts of the client protocol it uses (#5)', () => {
    const js = readFileSync(file, 'utf8');
    // The preview rule is the panel's and the server's; its Intl.Segmenter is missing before Firefox 125.
    expect(js).not.toContain('Segmenter');
  });
});
