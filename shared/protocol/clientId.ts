/** Who may prefix a client id, and how long the prefix may be: the rest is 32 random hex digits. */
const PREFIX = /^[A-Za-z0-9_-]{0,32}$/;

/**
 * A fresh client id (Q1): the idempotency key of one message or chat start. Every resend
 * reuses it, so the server stores the message once. A random UUID's 32 hex digits after an
 * optional `prefix` that tells whose it is in logs (`op_` from the panel). It matches the
 * `clientId` schema (shared/schemas/common.ts: 8–64 of `[A-Za-z0-9_-]`).
 */
export function newClientId(prefix = ''): string {
  if (!PREFIX.test(prefix)) throw new Error(`client id prefix must be up to 32 of [A-Za-z0-9_-]: ${prefix}`);
  const c = globalThis.crypto;
  // randomUUID exists only in secure contexts: a widget on an http:// site has getRandomValues alone.
  if (c.randomUUID) return prefix + c.randomUUID().replace(/-/g, '');
  return prefix + Array.from(c.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
