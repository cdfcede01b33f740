/** #5: every visible string lives in extension/strings/, one module per domain, and each one is used. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { strings } from '@/strings';

const root = path.resolve('extension');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'strings' || name === 'public' ? [] : sources(file);
    return /\.(ts|vue)$/.test(name) ? [file] : [];
  });
}

describe('strings', () => {
  const code = sources(root)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

  it('has no key that nothing uses', () => {
    const unused: string[] = [];
    for (const [domain, entries] of Object.entries(strings)) {
      for (const key of Object.keys(entries)) if (!new RegExp(`strings\\.${domain}\\.${key}\\b`).test(code)) unused.push(`${domain}.${key}`);
    }
    expect(unused).toEqual([]);
  });

  it('is read through the strings index only', () => {
    expect(code).not.toMatch(/from '@\/strings\/\w+'/);
  });
});
