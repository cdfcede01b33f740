import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app';
import { countAccounts } from '../../server/src/features/accounts/repo';
import { setupFirstAccount } from '../../server/src/features/accounts/service';
import { freshTestDatabase, seededDataDir } from '../support/db';
import type { AccountSettingsView } from '../../shared/schemas/accounts';
import { api, Harness, loginOk, testConfig, type ErrorBody } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

const body = { account: 'Acme', name: 'Ada Admin', email: 'Ada@Example.com', password: 'long enough' };

describe('first-run setup', () => {
  it('serves an accessible form while no account exists', async () => {
    const server = await h.server();
    const res = await fetch(`${server.url}/setup`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/setup"');
    for (const field of ['account', 'name', 'email', 'password', 'allowedOrigins'])
      expect(html).toMatch(new RegExp(`<label for="${field}">[\\s\\S]*?<input id="${field}" name="${field}"`));
    expect(html).toContain('lang="en"');
  });

  it('creates the account and its admin over the API, then refuses with setup_done', async () => {
    const server = await h.server();
    const res = await api<{ account: { id: string; name: string }; operator: { email: string; role: string } }>(server.url, 'POST', '/api/setup', body);
    expect(res.status).toBe(200);
    expect(res.body.account.name).toBe('Acme');
    expect(res.body.operator).toMatchObject({ email: 'ada@example.com', role: 'admin' });
    const login = await loginOk(server.url, 'ada@example.com', 'long enough');
    expect(login.account.id).toBe(res.body.account.id);

    const again = await api<ErrorBody>(server.url, 'POST', '/api/setup', { ...body, email: 'eve@example.com' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('setup_done');
    expect(await countAccounts(server.app.ctx.db)).toBe(1);
    expect(await (await fetch(`${server.url}/setup`)).text()).toContain('Sidedesk is set up');
  });

  it('accepts the HTML form post and shows field errors without creating anything', async () => {
    const server = await h.server();
    const bad = await fetch(`${server.url}/setup`, {
      method: 'POST',
      body: new URLSearchParams({ account: 'Acme', name: '', email: 'not-an-email', password: 'short' }),
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('id="email-error"');
    expect(html).toContain('id="password-error"');
    expect(html).toContain('value="Acme"');
    expect(await countAccounts(server.app.ctx.db)).toBe(0);

    const good = await fetch(`${server.url}/setup`, { method: 'POST', body: new URLSearchParams({ ...body, name: '' }) });
    expect(good.status).toBe(201);
    expect(await good.text()).toContain('Sidedesk is set up');
    expect(await countAccounts(server.app.ctx.db)).toBe(1);
  });

  it('says what to do beside each field of an empty form, and in the API’s issues, never zod’s words (#5)', async () => {
    const server = await h.server();
    const form = await fetch(`${server.url}/setup`, {
      method: 'POST',
      body: new URLSearchParams({ account: '', name: '', email: '', password: '', allowedOrigins: '' }),
    });
    expect(form.status).toBe(400);
    const html = await form.text();
    expect(html).toContain('<p class="error" id="account-error">Enter your company name</p>');
    expect(html).toContain('<p class="error" id="email-error">Enter a valid email</p>');
    expect(html).toContain('<p class="error" id="password-error">Enter a password</p>');
    expect(html).not.toMatch(/Too small|expected string|Invalid input/);

    const short = await fetch(`${server.url}/setup`, {
      method: 'POST',
      body: new URLSearchParams({ account: 'Acme', email: 'ada@example.com', password: 'short' }),
    });
    expect(await short.text()).toContain('<p class="error" id="password-error">At least 8 characters</p>');

    const empty = await api<ErrorBody>(server.url, 'POST', '/api/setup', {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.issues).toEqual([
      { path: 'account', message: 'Enter your company name' },
      { path: 'email', message: 'Enter a valid email' },
      { path: 'password', message: 'Enter a password' },
    ]);
    expect(empty.body.error.message).toBe('Invalid input: account: Enter your company name');
    expect(await countAccounts(server.app.ctx.db)).toBe(0);
  });

  it('takes the website addresses (normalised) over the API, and refuses junk naming the entry', async () => {
    const server = await h.server();
    const bad = await api<ErrorBody>(server.url, 'POST', '/api/setup', { ...body, allowedOrigins: ['shop.example.com', 'ftp://x.example'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual([{ path: 'allowedOrigins.1', message: '"ftp://x.example": only http:// and https:// websites can run the widget' }]);
    expect(await countAccounts(server.app.ctx.db)).toBe(0);

    const res = await api(server.url, 'POST', '/api/setup', { ...body, allowedOrigins: ['Shop.Example.com/any/page', 'https://*.example.org'] });
    expect(res.status).toBe(200);
    const login = await loginOk(server.url, 'ada@example.com', 'long enough');
    const settings = await api<AccountSettingsView>(server.url, 'GET', '/api/account/settings', undefined, login.token);
    expect(settings.body.allowedOrigins).toEqual(['https://shop.example.com', 'https://*.example.org']);
  });

  it('takes the website addresses on the form, showing a bad one beside its field', async () => {
    const server = await h.server();
    const bad = await fetch(`${server.url}/setup`, { method: 'POST', body: new URLSearchParams({ ...body, allowedOrigins: 'shop.example.com not!a!site' }) });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toMatch(/<input id="allowedOrigins"[^>]*aria-invalid="true" aria-describedby="allowedOrigins-error">/);
    expect(html).toContain(
      '<p class="error" id="allowedOrigins-error">&#34;not!a!site&#34; is not a website address; enter one like https://shop.example.com</p>',
    );
    expect(html).toContain('value="shop.example.com not!a!site"');
    expect(await countAccounts(server.app.ctx.db)).toBe(0);

    const good = await fetch(`${server.url}/setup`, {
      method: 'POST',
      body: new URLSearchParams({ ...body, allowedOrigins: ' shop.example.com, https://blog.example.com ' }),
    });
    expect(good.status).toBe(201);
    expect(await good.text()).toContain('<code>https://shop.example.com</code>, <code>https://blog.example.com</code>');
    const login = await loginOk(server.url, 'ada@example.com', 'long enough');
    const settings = await api<AccountSettingsView>(server.url, 'GET', '/api/account/settings', undefined, login.token);
    expect(settings.body.allowedOrigins).toEqual(['https://shop.example.com', 'https://blog.example.com']);
  });

  it('shows anyone who opens /setup afterwards only that the server is set up: no account name or id (#4)', async () => {
    const server = await h.server();
    const { account } = await h.account(server, { account: 'Secret Shop Ltd' });
    const res = await fetch(`${server.url}/setup`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('This server is set up.');
    expect(html).toContain('sign in');
    expect(html).not.toContain('Secret Shop');
    expect(html).not.toContain(account.id);
    expect(html).not.toContain('<form');
  });

  it('creates only one account when two setups race', async () => {
    const server = await h.server();
    const results = await Promise.allSettled([
      setupFirstAccount(server.app.ctx.db, { ...body, email: 'a@example.com' }),
      setupFirstAccount(server.app.ctx.db, { ...body, email: 'b@example.com' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await countAccounts(server.app.ctx.db)).toBe(1);
  });

  it('validates the API body: 400 validation_failed with the issues', async () => {
    const server = await h.server();
    const res = await api<ErrorBody>(server.url, 'POST', '/api/setup', { account: '', email: 'x', password: '1' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.issues!.map((i) => i.path).sort()).toEqual(['account', 'email', 'password']);
    const notJson = await fetch(`${server.url}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as ErrorBody).error.code).toBe('validation_failed');
    expect(await countAccounts(server.app.ctx.db)).toBe(0);
  });
});

describe('npm run setup (CLI)', () => {
  const run = promisify(execFile);
  const cli = (env: NodeJS.ProcessEnv, args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'server/src/cli/setup.ts', ...args], { env: { ...process.env, ...env } }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
  const args = [
    '--account',
    'Acme',
    '--email',
    'cli@example.com',
    '--password',
    'long enough',
    '--name',
    'Cli Admin',
    '--origin',
    'Shop.Example.com/x',
    '--origin',
    'https://*.example.org',
  ];

  it('creates the account (printing its id and websites), refuses a second time, and refuses while a server holds the data dir', async () => {
    const database = await freshTestDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidedesk-cli-'));
    const env: NodeJS.ProcessEnv = database.kind === 'postgres' ? { DATABASE_URL: database.url } : { DATABASE_URL: '', DATA_DIR: dataDir };
    try {
      if (database.kind === 'pglite') {
        await database.pglite.close();
        await seededDataDir(dataDir);
        const app = await createApp(testConfig({ dataDir }));
        const locked = await cli(env, args);
        await app.close();
        expect(locked.code).toBe(1);
        expect(locked.out).toContain(`in use by another Sidedesk process (pid ${process.pid}`);
      }

      const junk = await cli(env, [...args, '--origin', 'not a site']);
      expect(junk.code).toBe(1);
      expect(junk.out).toContain('--origin: "not a site" is not a website address; enter one like https://shop.example.com');

      const first = await cli(env, args);
      expect(first.code, first.out).toBe(0);
      const id = /Account id: ([0-9a-f-]{36})/.exec(first.out)?.[1];
      expect(id).toBeDefined();
      expect(first.out).toContain('The chat widget may run on: https://shop.example.com, https://*.example.org');

      const second = await cli(env, args);
      expect(second.code).toBe(1);
      expect(second.out).toContain('setup_done');

      const bad = await cli(env, ['--account', 'Acme', '--email', 'nope']);
      expect(bad.code).toBe(1);
      expect(bad.out).toContain('validation_failed');
    } finally {
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

// How the prompt behaves doesn't depend on the database: the PGlite pass runs it (CI's 30 minutes).
describe.skipIf(process.env.DATABASE_URL)('npm run setup without --password: asks for it, hidden, twice (#5)', () => {
  /** A fresh database for the CLI: the env pointing at it, and a server on it afterwards. */
  async function target() {
    const database = await freshTestDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidedesk-cli-'));
    if (database.kind === 'pglite') {
      await database.pglite.close();
      await seededDataDir(dataDir);
    }
    const env: NodeJS.ProcessEnv = database.kind === 'postgres' ? { DATABASE_URL: database.url } : { DATABASE_URL: '', DATA_DIR: dataDir };
    const cleanup = async () => {
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
    const serve = async () => {
      const app = await createApp(testConfig(database.kind === 'postgres' ? { databaseUrl: database.url } : { dataDir }));
      const { url } = await app.listen(0);
      return { url, close: () => app.close() };
    };
    return { env, cleanup, serve };
  }

  /**
   * Runs the CLI, typing each answer once the output shows its prompt (`[prompt, line]` in order);
   * `tty` runs it on a pseudo-terminal (util-linux `script`), where an echo would show.
   */
  function interactive(env: NodeJS.ProcessEnv, args: string[], answers: [RegExp, string][], tty = false) {
    const node = [process.execPath, '--import', 'tsx', 'server/src/cli/setup.ts', ...args];
    const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
    const child = tty
      ? spawn('script', ['-qefc', node.map(quote).join(' '), '/dev/null'], { env: { ...process.env, ...env } })
      : spawn(node[0]!, node.slice(1), { env: { ...process.env, ...env } });
    let out = '';
    let answered = 0;
    let from = 0;
    const onData = (d: Buffer) => {
      out += d.toString();
      for (let next = answers[answered]; next; next = answers[answered]) {
        // An answer goes only once its own prompt has appeared after the previous one.
        const seen = next[0].exec(out.slice(from));
        if (!seen) break;
        from += seen.index + seen[0].length;
        child.stdin.write(`${next[1]}\n`);
        answered++;
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    if (!tty && answers.length === 0) child.stdin.end();
    return new Promise<{ code: number | null; out: string }>((resolve) =>
      child.on('exit', (code) => {
        child.stdin.destroy();
        resolve({ code, out });
      }),
    );
  }

  const asked = /Password for admin@example\.com \(at least 8 characters, not shown\): /;
  const again = /The same password again: /;
  const args = ['--account', 'Acme', '--email', 'Admin@Example.com', '--name', 'Ada'];

  it('takes the password from stdin, refusing a short one and two that differ, and signs in with it', async () => {
    const t = await target();
    try {
      const res = await interactive(t.env, args, [
        [asked, 'short'],
        [asked, 'long enough'],
        [again, 'something else'],
        [asked, 'long enough'],
        [again, 'long enough'],
      ]);
      expect(res.code, res.out).toBe(0);
      expect(res.out).toContain('At least 8 characters');
      expect(res.out).toContain('The two passwords differ. Try again.');
      expect(res.out).toContain('Created account "Acme" with admin admin@example.com.');
      expect(res.out).not.toContain('shell history');
      const server = await t.serve();
      try {
        await loginOk(server.url, 'admin@example.com', 'long enough');
      } finally {
        await server.close();
      }
    } finally {
      await t.cleanup();
    }
  }, 120_000);

  it.skipIf(spawnSync('script', ['--version']).status !== 0)(
    'shows nothing of the password on a terminal',
    async () => {
      const t = await target();
      try {
        const secret = 'hunter2-but-longer';
        const res = await interactive(
          t.env,
          args,
          [
            [asked, secret],
            [again, secret],
          ],
          true,
        );
        expect(res.code, res.out).toBe(0);
        expect(res.out).toContain('Created account "Acme"');
        expect(res.out).not.toContain(secret);
        expect(res.out).not.toContain('*'.repeat(secret.length));
      } finally {
        await t.cleanup();
      }
    },
    120_000,
  );

  it('stops with exit code 1 when no password comes, having created nothing', async () => {
    const t = await target();
    try {
      const res = await interactive(t.env, args, []);
      expect(res.code).toBe(1);
      expect(res.out).toContain('No password given. Type it when asked, or pass --password (scripts).');
      const server = await t.serve();
      try {
        expect(await fetch(`${server.url}/setup`).then((r) => r.text())).toContain('<form');
      } finally {
        await server.close();
      }
    } finally {
      await t.cleanup();
    }
  }, 120_000);

  it('warns that --password lands in the shell history', async () => {
    const t = await target();
    try {
      const res = await interactive(t.env, [...args, '--password', 'long enough'], []);
      expect(res.code, res.out).toBe(0);
      expect(res.out).toContain('Note: --password is saved in your shell history.');
    } finally {
      await t.cleanup();
    }
  }, 120_000);
});
