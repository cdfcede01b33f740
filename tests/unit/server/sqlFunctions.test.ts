import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../../server/src/config';

const dir = path.join(ROOT_DIR, 'server/drizzle');

/** The `CREATE OR REPLACE FUNCTION name(…) … $fn$;` statement of `sql`, or null. */
function definition(sql: string, name: string): string | null {
  const start = sql.indexOf(`CREATE OR REPLACE FUNCTION ${name}(`);
  if (start < 0) return null;
  const end = sql.indexOf('$fn$;', sql.indexOf('AS $fn$', start) + 7);
  return sql.slice(start, end + 5);
}

describe('SQL functions (#5)', () => {
  const migrations = readdirSync(dir)
    .filter((f) => /^\d{4}_.*\.sql$/.test(f))
    .sort();
  for (const file of readdirSync(path.join(dir, 'functions'))) {
    const name = file.replace(/\.sql$/, '');
    it(`installs ${name} exactly as server/drizzle/functions/${file} says, in the newest migration that defines it`, () => {
      const source = definition(readFileSync(path.join(dir, 'functions', file), 'utf8'), name);
      expect(source, `${file} defines ${name}`).not.toBeNull();
      const newest = migrations
        .map((m) => definition(readFileSync(path.join(dir, m), 'utf8'), name))
        .filter(Boolean)
        .at(-1);
      expect(newest, `no migration installs ${name}: npm run db:function -- ${name}`).toBe(source);
    });
  }
});
