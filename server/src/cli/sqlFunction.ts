/**
 * `npm run db:function -- append_messages`: a new migration that installs the current source of a
 * SQL function (server/drizzle/functions/<name>.sql). The function's source is edited in place, so
 * a change reads as a diff of the lines that change (#5); the migration is a copy, checked by
 * tests/unit/server/sqlFunctions.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT_DIR } from '../config';

const name = process.argv[2];
const dir = path.join(ROOT_DIR, 'server/drizzle');
if (!name || !/^[a-z_]+$/.test(name)) throw new Error('usage: npm run db:function -- <function_name>');
const source = readFileSync(path.join(dir, 'functions', `${name}.sql`), 'utf8');

const before = new Set(readdirSync(dir));
execFileSync('npx', ['drizzle-kit', 'generate', '--custom', '--name', name, '--config', 'server/drizzle.config.ts'], { cwd: ROOT_DIR, stdio: 'inherit' });
const created = readdirSync(dir).filter((f) => f.endsWith('.sql') && !before.has(f) && statSync(path.join(dir, f)).isFile());
if (created.length !== 1) throw new Error(`expected one new migration, found ${created.join(', ') || 'none'}`);
writeFileSync(path.join(dir, created[0]!), source);
console.log(`server/drizzle/${created[0]} installs ${name} from server/drizzle/functions/${name}.sql`);
