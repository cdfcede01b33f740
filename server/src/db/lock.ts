import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'sidedesk.lock';

/** A held data-dir lock; `release()` is idempotent and also runs on process exit. */
export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/** Thrown when another live process holds the data dir. */
export class DataDirLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly pid: number,
    readonly hostname: string,
  ) {
    super(
      `The data directory ${path.dirname(lockPath)} is in use by another Sidedesk process (pid ${pid} on ${hostname}). ` +
        `PGlite allows one process per data directory: stop that process, or use another DATA_DIR, or PostgreSQL (DATABASE_URL).`,
    );
    this.name = 'DataDirLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): { pid: number; hostname: string } | null {
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown; hostname?: unknown };
    if (typeof data.pid === 'number' && typeof data.hostname === 'string') return { pid: data.pid, hostname: data.hostname };
  } catch {
    // Unreadable or half-written lock: treated as stale below.
  }
  return null;
}

/**
 * Takes the exclusive lock on `dir` (PGlite has none of its own; two processes on one data dir
 * silently lose rows). The file is created with O_EXCL; a lock left by a dead process (kill -9)
 * is taken over. A lock from another host can't be checked, so it is refused.
 */
export function acquireDataDirLock(dir: string): DataDirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const content = JSON.stringify({ pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() });

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, content, { flag: 'wx' });
      return holdLock(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readLock(file);
    if (owner && (owner.hostname !== os.hostname() || isAlive(owner.pid))) {
      throw new DataDirLockedError(file, owner.pid, owner.hostname);
    }
    // Stale: remove and retry the exclusive create, so two starters racing for it can't both win.
    fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not take the lock ${file}`);
}

function holdLock(file: string): DataDirLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    // Only remove the file if it is still ours.
    if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { path: file, release };
}
