import { createHmac, timingSafeEqual } from 'node:crypto';

/** A download URL is good for at least this long after it is issued… */
export const FILE_URL_TTL_MS = 60 * 60_000;
/** …and its expiry is rounded up to this step, so one file keeps one URL for a while (browser cache hits). */
const EXPIRY_STEP_MS = 15 * 60_000;

const MAC_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Signed, expiring download URLs of files (#5). An `<img src>` in the widget or the panel can't
 * send an Authorization header, so the URL itself is the permission: it is handed only to the
 * people of the conversation (in the upload's answer, in their chat's messages, or by
 * `GET /api/files/:id` with their token), and it stops working at its expiry.
 *
 * `/api/files/<id>/content?expires=<unix seconds>&signature=<base64url HMAC-SHA256>`: the MAC is
 * over the file id and the expiry with an install-wide secret (server_secrets, so every node
 * agrees). It is checked before the database is asked, so a forged URL costs one HMAC. Expiry is
 * rounded up to a 15-minute step: the same file gets the same URL for 15 minutes, and the
 * browser's cache serves the preview again instead of downloading it once per message render.
 */
export class FileUrls {
  private readonly now: () => number;

  constructor(
    private readonly key: Buffer,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The signed path of the file's bytes, relative to the server (clients prefix their server URL). */
  url(fileId: string): string {
    const expires = Math.ceil((this.now() + FILE_URL_TTL_MS) / EXPIRY_STEP_MS) * (EXPIRY_STEP_MS / 1000);
    return `/api/files/${fileId}/content?expires=${expires}&signature=${this.mac(fileId, expires).toString('base64url')}`;
  }

  /** True if `signature` is the canonical MAC of the file id and `expires`, and `expires` is still ahead. */
  verify(fileId: string, expires: unknown, signature: unknown): boolean {
    if (typeof expires !== 'string' || typeof signature !== 'string' || !/^\d{1,12}$/.test(expires) || !BASE64URL.test(signature)) return false;
    const given = Buffer.from(signature, 'base64url');
    // Only the one canonical encoding (base64url decoders skip junk and ignore trailing bits).
    if (given.length !== MAC_BYTES || given.toString('base64url') !== signature) return false;
    const seconds = Number(expires);
    if (!timingSafeEqual(given, this.mac(fileId, seconds))) return false;
    return seconds * 1000 > this.now();
  }

  /** Seconds the URL with this expiry stays good (for Cache-Control); 0 if already past. */
  secondsLeft(expires: string): number {
    return Math.max(0, Math.floor(Number(expires) - this.now() / 1000));
  }

  private mac(fileId: string, expires: number): Buffer {
    return createHmac('sha256', this.key).update(`file:v1:${fileId.toLowerCase()}:${expires}`).digest();
  }
}
