/**
 * The import rules of `.dependency-cruiser.js` (#5) fire: the real config, run by the real CLI
 * (as `npm run check:imports` does), on a small tree that breaks each rule once and keeps to it once.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

const TREE: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'Preserve', moduleResolution: 'Bundler', strict: true } }),
  // (a) a feature importing another feature and its own files; site → accounts/repo is one of the
  // exceptions listed in the config.
  'server/src/features/tickets/service.ts': `import { own } from '../chats/repo';\nimport { t } from './repo';\nexport const x = own + t;\n`,
  'server/src/features/tickets/repo.ts': `export const t = 't';\n`,
  'server/src/features/site/routes.ts': `import { findAccount } from '../accounts/repo';\nexport const x = findAccount;\n`,
  'server/src/features/accounts/repo.ts': `export const findAccount = 'a';\n`,
  'server/src/features/chats/service.ts': `export const x = 'chats';\n`,
  'server/src/features/chats/repo.ts': `export const own = 'ok';\n`,
  // (b) the widget: zod and a schema at run time, schema types only.
  'widget/src/runtime.ts': `import { z } from 'zod';\nimport { chatSchema } from '../../shared/schemas/chats';\nexport const s = z.string().or(chatSchema);\n`,
  'widget/src/typesOnly.ts': `import type { Chat } from '../../shared/schemas/chats';\nexport const chat = (c: Chat) => c;\n`,
  'shared/schemas/chats.ts': `import { z } from 'zod';\nexport const chatSchema = z.string();\nexport type Chat = z.infer<typeof chatSchema>;\n`,
  // (c) shared importing a program.
  'shared/events.ts': `import { x } from '../server/src/features/chats/service';\nexport const e = x;\n`,
  // (d) the extension importing the server.
  'extension/utils/api.ts': `import { own } from '../../server/src/features/chats/repo';\nexport const a = own;\n`,
};

/** A violation as the json reporter gives it (known exceptions come with severity `ignore`). */
interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

let dir: string;
let violations: Violation[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sidedesk-imports-'));
  for (const [file, text] of Object.entries(TREE)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const cli = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
  const args = [cli, '--config', path.join(ROOT, '.dependency-cruiser.js'), '--output-type', 'json', 'server', 'shared', 'widget', 'extension'];
  // The CLI exits non-zero when it finds violations, which is what this test wants to see.
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: dir, maxBuffer: 20 * 1024 * 1024 }).catch((err: { stdout?: string }) => ({
    stdout: err.stdout ?? '',
  }));
  violations = (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const broken = (rule: string, severity = 'error') =>
  violations
    .filter((v) => v.rule.name === rule && v.rule.severity === severity)
    .map((v) => `${v.from} → ${v.to.replace(/^.*node_modules\//, 'node_modules/')}`)
    .sort();

describe('import rules', () => {
  it('(a) a server feature may not import another feature, only its own files (the listed exceptions are ignored)', () => {
    expect(broken('features-stay-apart')).toEqual(['server/src/features/tickets/service.ts → server/src/features/chats/repo.ts']);
    expect(broken('features-stay-apart', 'ignore')).toEqual(['server/src/features/site/routes.ts → server/src/features/accounts/repo.ts']);
  });

  it('(b) the widget may not load zod or shared/schemas at run time; their types are fine', () => {
    const found = broken('widget-without-zod');
    expect(found).toContain('widget/src/runtime.ts → shared/schemas/chats.ts');
    expect(found.some((v) => v.startsWith('widget/src/runtime.ts → node_modules/zod/'))).toBe(true);
    expect(found.filter((v) => v.startsWith('widget/src/typesOnly.ts'))).toEqual([]);
  });

  it('(c) shared/ may not import the server, the extension or the widget', () => {
    expect(broken('shared-stands-alone')).toEqual(['shared/events.ts → server/src/features/chats/service.ts']);
  });

  it('(d) the extension may not import the server', () => {
    expect(broken('extension-not-server')).toEqual(['extension/utils/api.ts → server/src/features/chats/repo.ts']);
  });
});
