import { parseArgs } from 'node:util';
import { AppError } from '../../../shared/errors';
import { setupBody } from '../../../shared/schemas/auth';
import { loadConfig } from '../config';
import { openDatabase } from '../db/client';
import { setupFirstAccount } from '../features/accounts/service';
import { validate } from '../validate';

// `npm run setup -- --account "Acme" --email a@b.c --password … [--name …] [--origin https://shop.example.com …]`:
// first-run setup without a browser, against DATA_DIR (PGlite) or DATABASE_URL. Prints the new account id.
const usage =
  'Usage: npm run setup -- --account "Acme" --email you@example.com --password <8+ chars> [--name "Your Name"] [--origin https://your-site.example …]\n' +
  '  --origin  a website the chat widget may run on (repeat it for several); more can be added later in the extension\'s options';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      account: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      origin: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const config = loadConfig();
  const input = validate(setupBody, { account: values.account, email: values.email, password: values.password, name: values.name, allowedOrigins: values.origin });
  // With PGlite this takes the data-dir lock: it refuses to run beside a running server.
  const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir });
  try {
    await database.migrate();
    const { account, admin } = await setupFirstAccount(database.db, input);
    console.log(`Created account "${account.name}" with admin ${admin.email}.`);
    console.log(`Account id: ${account.id}`);
    console.log(
      account.allowedOrigins.length
        ? `The chat widget may run on: ${account.allowedOrigins.join(', ')} (and on this server's own pages).`
        : "The chat widget runs on this server's own pages only; an admin can add your website in the extension's options.",
    );
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof AppError) {
      console.error(`${err.code}: ${err.message}`);
      for (const issue of err.issues ?? []) console.error(`  --${issue.path.startsWith('allowedOrigins') ? 'origin' : issue.path}: ${issue.message}`);
      if (err.code === 'validation_failed') console.error(usage);
    } else {
      console.error(err instanceof Error ? err.message : err);
    }
    process.exit(1);
  },
);
