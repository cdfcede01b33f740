import type { AccountSettingsPatch, AccountSettingsView } from '../../../../shared/schemas/accounts';
import type { SetupBody } from '../../../../shared/schemas/auth';
import { AppError } from '../../../../shared/errors';
import type { Db } from '../../db/client';
import { hashPassword } from '../../access/passwords';
import type { OperatorActor } from '../../access/actor';
import type { AppContext } from '../../context';
import { insertOperator, type OperatorRow } from '../auth/repo';
import { presentAccountSettings } from './presenter';
import { countAccounts, findAccount, hasAnyAccount, insertAccount, lockSetup, updateSettings, type AccountRow } from './repo';

export interface CreatedAccount {
  account: AccountRow;
  admin: OperatorRow;
}

/**
 * Creates an account and its first admin operator in one transaction. Throws `conflict` if the
 * email is already taken. Used by first-run setup and by tests that need several tenants.
 */
export async function createAccountWithAdmin(db: Db, input: SetupBody): Promise<CreatedAccount> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction((tx) => createInTx(tx, input, passwordHash));
}

/** Refuses with `setup_done` once any account exists. */
export async function assertSetupOpen(db: Db): Promise<void> {
  if (await hasAnyAccount(db)) throw new AppError('setup_done', 'This server is already set up; sign in instead.');
}

/**
 * First-run setup (the single-tenant install path): like {@link createAccountWithAdmin} but
 * refused with `setup_done` once any account exists.
 */
export async function setupFirstAccount(db: Db, input: SetupBody): Promise<CreatedAccount> {
  // #4: checked before hashing: after setup every POST hashed a password (244 in 10 s) to be refused.
  await assertSetupOpen(db);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    await lockSetup(tx);
    if ((await countAccounts(tx)) > 0) throw new AppError('setup_done', 'This server is already set up; sign in instead.');
    return createInTx(tx, input, passwordHash);
  });
}

async function createInTx(tx: Db, input: SetupBody, passwordHash: string): Promise<CreatedAccount> {
  const account = await insertAccount(tx, input.account, input.allowedOrigins ?? []);
  const admin = await insertOperator(tx, account.id, {
    email: input.email,
    name: input.name ?? input.email.split('@')[0]!,
    role: 'admin',
    passwordHash,
  });
  if (!admin) throw new AppError('conflict', 'An operator with this email already exists.');
  return { account, admin };
}

/** The settings of the operator's own account; every role may read them. */
export async function getAccountSettings(ctx: AppContext, actor: OperatorActor): Promise<AccountSettingsView> {
  const account = await findAccount(ctx.db, actor.accountId);
  if (!account) throw new AppError('not_found', 'Account not found.');
  return presentAccountSettings(account);
}

/**
 * Changes the operator's own account settings (the route checks the role first, #4). The actor
 * is the only source of the account id: no route takes one, so nobody reaches another account's
 * settings. A new origin list applies to the next widget handshakes (this node's cache is
 * forgotten at once, other nodes' within seconds); connected widgets stay.
 */
export async function updateAccountSettings(ctx: AppContext, actor: OperatorActor, patch: AccountSettingsPatch): Promise<AccountSettingsView> {
  const changes = {
    ...(patch.allowedOrigins ? { allowedOrigins: patch.allowedOrigins } : {}),
    ...(patch.idleAfterMinutes !== undefined ? { idleAfterMinutes: patch.idleAfterMinutes } : {}),
    ...(patch.operatorsMayMonitor !== undefined ? { operatorsMayMonitor: patch.operatorsMayMonitor } : {}),
  };
  const account = Object.keys(changes).length ? await updateSettings(ctx.db, actor.accountId, changes) : await findAccount(ctx.db, actor.accountId);
  if (!account) throw new AppError('not_found', 'Account not found.');
  ctx.accounts.forget(actor.accountId);
  return presentAccountSettings(account);
}
