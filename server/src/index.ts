import fs from 'node:fs';
import path from 'node:path';
import { createApp } from './app';
import { loadConfig, ROOT_DIR } from './config';
import { firstAccount } from './features/accounts/repo';
import { listenErrorMessage } from './http/listenError';

// `npm run serve` / `npm start`: one server process. Everything it needs comes from the environment.
let config: ReturnType<typeof loadConfig>;
let app: Awaited<ReturnType<typeof createApp>>;
try {
  config = loadConfig();
  app = await createApp(config);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
let localUrl: string;
try {
  ({ url: localUrl } = await app.listen());
} catch (err) {
  // #5: a busy port is one clear line and exit code 1, not a stack trace.
  console.error(listenErrorMessage(err, config) ?? err);
  await app.close().catch(() => undefined);
  process.exit(1);
}
const url = config.publicUrl ?? localUrl;
const account = await firstAccount(app.ctx.db);
const built = (p: string) => fs.existsSync(path.join(ROOT_DIR, p));

const lines = [
  '',
  `Sidedesk is running at ${url}`,
  `  database:   ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${path.join(config.dataDir, 'pgdata')}`}${config.redisUrl ? ' · Redis adapter on' : ''}`,
  `  demo site:  ${url}/demo/${built('widget/dist/widget.js') ? '' : '  (widget not built yet: npm run build:widget)'}`,
  account
    ? [
        `  account:    ${account.name} (${account.id})`,
        // #4: the widget runs only on these websites (and this server's own pages).
        `  websites:   ${account.allowedOrigins.length ? account.allowedOrigins.join(', ') : "none yet: the widget runs only on this server's pages; an admin adds websites in the extension's options"}`,
      ].join('\n')
    : [
        '  first run:  no account yet. Create the account and its admin either',
        `              in the browser: ${url}/setup`,
        '              or headless:    npm run setup -- --account "Acme" --email you@example.com [--name "Your Name"] [--origin https://your-site.example]  (asks for the password)',
        '              (stop this server first when using the embedded database: the CLI needs the data-dir lock)',
      ].join('\n'),
  `  extension:  ${path.join(ROOT_DIR, '.output/chrome-mv3')} (Chrome: Load unpacked) · ${path.join(ROOT_DIR, '.output/firefox-mv2')} (Firefox: about:debugging)${built('.output/chrome-mv3') ? '' : '  (not built yet: npm run build:extension)'}`,
  '',
];
console.log(lines.join('\n'));

// #3: a promise rejection nobody handled (a library's fire-and-forget call, like a publish while
// Redis is down) is logged, not fatal: ending the process would cut every connected visitor and
// operator for something that didn't break this node's own state. The known sources are handled
// where they arise (realtime/io.ts, realtime/presence.ts, ctx.background); this is the backstop.
// Uncaught exceptions still end the process (its state may be broken; the supervisor restarts it).
process.on('unhandledRejection', (reason) => app.ctx.log.error('Unhandled promise rejection (kept running)', reason));

// The embedded database's thread died: every query would fail from now on. End the process so the
// supervisor restarts it; clients reconnect and resend their outboxes, and nothing acked is lost.
void app.database.lost.then((err) => {
  app.ctx.log.error('The database is gone; exiting so the server can be restarted', err);
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.ctx.log.info(`${signal}: committing queued messages and closing`);
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.ctx.log.error('Closing failed', err);
        process.exit(1);
      },
    );
  });
}
