import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from './client';
import { serverSecrets } from './schema/index';

/**
 * The install-wide secret `name` (32 random bytes), created on first use. Concurrent first
 * starts of several nodes agree: the insert is ON CONFLICT DO NOTHING and everyone reads back.
 */
export async function getOrCreateSecret(db: Db, name: string): Promise<Buffer> {
  await db
    .insert(serverSecrets)
    .values({ name, value: randomBytes(32).toString('base64') })
    .onConflictDoNothing();
  const [row] = await db.select().from(serverSecrets).where(eq(serverSecrets.name, name)).limit(1);
  return Buffer.from(row!.value, 'base64');
}
