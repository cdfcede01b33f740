/**
 * `node --import tsx tests/bench/accounts.ts N`: creates N accounts, each with one admin operator
 * and a live session, on the database the environment names (DATA_DIR or DATABASE_URL), before
 * the server under test starts (PGlite: one process per data dir). Prints them as JSON on the
 * last line. The bench models a multi-tenant server this way (`--chats-per-account`, #3):
 * logging in through the API would cost an argon2 verification per account.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../server/src/config';
import { openDatabase } from '../../server/src/db/client';
import { insertAccount } from '../../server/src/features/accounts/repo';
import { insertOperator, insertSession } from '../../server/src/features/auth/repo';
import { hashPassword } from '../../server/src/access/passwords';
import { hashToken } from '../../server/src/access/sessions';

export interface BenchAccount {
  accountId: string;
  operatorToken: string;
  /** Every operator's token, `operatorToken` first (`accounts.ts N K`: K operators per account). */
  operatorTokens: string[];
}

const count = Number(process.argv[2] ?? 1);
const operatorsPerAccount = Math.max(1, Number(process.argv[3] ?? 1));
const config = loadConfig();
const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir });
try {
  await database.migrate();
  const passwordHash = await hashPassword(randomBytes(12).toString('hex'));
  const run = randomBytes(4).toString('hex');
  const made: BenchAccount[] = [];
  for (let i = 0; i < count; i++) {
    made.push(
      await database.db.transaction(async (tx) => {
        const account = await insertAccount(tx, `Bench ${i + 1}`);
        const operatorTokens: string[] = [];
        for (let k = 0; k < operatorsPerAccount; k++) {
          const operator = await insertOperator(tx, account.id, {
            email: `bench-${run}-${i}-${k}@example.com`,
            name: `Operator ${i + 1}.${k + 1}`,
            role: k === 0 ? 'admin' : 'operator',
            passwordHash,
          });
          if (!operator) throw new Error('bench operator email taken');
          const token = randomBytes(32).toString('base64url');
          await insertSession(tx, account.id, operator.id, hashToken(token), new Date(Date.now() + 7 * 24 * 3600_000));
          operatorTokens.push(token);
        }
        return { accountId: account.id, operatorToken: operatorTokens[0]!, operatorTokens };
      }),
    );
  }
  console.log(JSON.stringify(made));
} finally {
  await database.close();
}
