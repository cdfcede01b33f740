import { parseArgs } from 'node:util';
import { AppError } from '../../../shared/errors';
import { password as passwordSchema, setupBody } from '../../../shared/schemas/auth';
import { loadConfig } from '../config';
import { openDatabase } from '../db/client';
import { setupFirstAccount } from '../features/accounts/service';
import { validate } from '../validate';
import { secretPrompt } from './prompt';

// `npm run setup -- --account "Acme" --email a@b.c [--name …] [--origin https://shop.example.com …]`:
// first-run setup without a browser, against DATA_DIR (PGlite) or DATABASE_URL. Asks for the
// password without showing it (#5); `--password` is for scripts. Prints the new account id.
const usage =
  'Usage: npm run setup -- --account "Acme" --email you@example.com [--name "Your Name"] [--origin https://your-site.example …] [--password …]\n' +
  "  --origin    a website the chat widget may run on (repeat it for several); more can be added later in the extension's options\n" +
  '  --password  for scripts only: without it you are asked for the password, which is not shown as you type';

/** How often a mistyped or too short password may be typed again. */
const PASSWORD_TRIES = 3;

/** Asks for the new admin's password twice, hidden; null if none was given. */
async function askPassword(email: string): Promise<string | null> {
  const prompt = secretPrompt();
  try {
    for (let i = 0; i < PASSWORD_TRIES; i++) {
      const first = await prompt.ask(`Password for ${email} (at least 8 characters, not shown): `);
      if (first === null) return null;
      const checked = passwordSchema.safeParse(first);
      if (!checked.success) {
        console.error(checked.error.issues[0]?.message ?? 'Enter another password.');
        continue;
      }
      const again = await prompt.ask('The same password again: ');
      if (again === null) return null;
      if (again === first) return first;
      console.error('The two passwords differ. Try again.');
    }
    return null;
  } finally {
    prompt.close();
  }
}

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
  const fields = { account: values.account, email: values.email, name: values.name, allowedOrigins: values.origin };
  let password = values.password;
  if (password === undefined) {
    // Everything else is checked first: nobody types a password twice to hear their email is wrong.
    const { email } = validate(setupBody.omit({ password: true }), fields);
    const typed = await askPassword(email);
    if (typed === null) {
      console.error('No password given. Type it when asked, or pass --password (scripts).');
      return 1;
    }
    password = typed;
  } else {
    console.error('Note: --password is saved in your shell history. Leave it out to be asked for the password instead (not shown as you type).');
  }
  const input = validate(setupBody, { ...fields, password });
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
