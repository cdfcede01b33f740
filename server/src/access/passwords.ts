import { hash } from '@node-rs/argon2';

/** argon2id with @node-rs/argon2's defaults (m=19 MiB, t=2, p=1: OWASP's recommendation). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}
